//! Hand-written cases for the rules the measured rows do not reach: body text on other statuses,
//! message shapes, labels, stream error events.

use super::*;

#[test]
fn transport_messages_have_litellm_shape() {
    let refused = CoreError::Connect {
        detail: "[Errno 111] Connection refused".to_owned(),
        errno: Some(111),
    };
    assert_eq!(
        classify(Provider::OpenAI, &refused).message,
        "InternalServerError: OpenAIException - Connection error."
    );
    assert_eq!(
        classify(Provider::Groq, &refused).message,
        "InternalServerError: GroqException - [Errno 111] Connection refused"
    );
    assert_eq!(
        classify(Provider::HuggingFace, &refused).message,
        "HuggingfaceException - [Errno 111] Connection refused"
    );
    let t = CoreError::Timeout { during: "read" };
    assert_eq!(
        classify(Provider::Cerebras, &t).message,
        "APITimeoutError - Request timed out. Error_str: Request timed out."
    );
    assert_eq!(
        classify(Provider::TogetherAi, &t).message,
        "Timeout Error: Together_aiException - litellm.Timeout: Read timed out."
    );
    let bad = CoreError::Decode {
        status: 200,
        detail: "E".to_owned(),
        body: "x".to_owned(),
        headers: vec![],
    };
    assert_eq!(
        classify(Provider::Xai, &bad).message,
        "APIError: XaiException - Unable to get json response - E, Original Response: x"
    );
    assert_eq!(
        classify(Provider::Azure, &bad).message,
        "AzureException APIError - E"
    );
}

#[test]
fn labels_follow_litellm_capitalisation() {
    assert_eq!(exception_provider(Provider::OpenAI), "OpenAIException");
    assert_eq!(
        exception_provider(Provider::TogetherAi),
        "Together_aiException"
    );
    assert_eq!(
        exception_provider(Provider::HuggingFace),
        "HuggingfaceException"
    );
    assert_eq!(exception_provider(Provider::DeepSeek), "DeepseekException");
}

#[test]
fn body_rules_read_the_provider_text() {
    // A 400 whose raw body talks about a rate limit is a RateLimitError on the httpx routes...
    let body = r#"{"error": {"message": "rate-limit hit", "type": "x"}}"#;
    let err = CoreError::Status {
        status: 400,
        body: body.to_owned(),
        headers: vec![],
    };
    assert_eq!(
        classify(Provider::Groq, &err).class,
        ErrorClass::RateLimitError
    );
    // ...and on the SDK route, where the searched text is "Error code: 400 - rate-limit hit".
    assert_eq!(
        classify(Provider::OpenAI, &err).class,
        ErrorClass::RateLimitError
    );
    // A bare 429 elsewhere in a non-429 reply is not a rate limit.
    let err = CoreError::Status {
        status: 400,
        body: "token 429 echoed".to_owned(),
        headers: vec![],
    };
    assert_eq!(
        classify(Provider::Groq, &err).class,
        ErrorClass::BadRequestError
    );
    // Compact JSON does not match litellm's spaced `"code": "context_length_exceeded"` needle.
    let compact = r#"{"error":{"message":"too long","code":"context_length_exceeded"}}"#;
    let err = CoreError::Status {
        status: 400,
        body: compact.to_owned(),
        headers: vec![],
    };
    assert_eq!(
        classify(Provider::Mistral, &err).class,
        ErrorClass::BadRequestError
    );
    // Azure reads error.code itself.
    assert_eq!(
        classify(Provider::Azure, &err).class,
        ErrorClass::ContextWindowExceededError
    );
    // Cerebras' own context phrase.
    let err = CoreError::Status {
        status: 400,
        body: r#"{"message": "Current length is 9000 while limit is 8192"}"#.to_owned(),
        headers: vec![],
    };
    assert_eq!(
        classify(Provider::Cerebras, &err).class,
        ErrorClass::ContextWindowExceededError
    );
    // HuggingFace quotes the body bare when a phrase matches.
    let err = CoreError::Status {
        status: 400,
        body: "Input length limit exceeded".to_owned(),
        headers: vec![],
    };
    let got = classify(Provider::HuggingFace, &err);
    assert_eq!(
        (got.class, got.message.as_str()),
        (
            ErrorClass::ContextWindowExceededError,
            "Input length limit exceeded"
        )
    );
}

#[test]
fn generic_timeout_phrase_wins_on_every_route() {
    let body = r#"{"error": {"message": "Request timed out upstream"}}"#;
    for p in Provider::ALL {
        let err = CoreError::Status {
            status: 500,
            body: body.to_owned(),
            headers: vec![],
        };
        let got = classify(p, &err);
        assert_eq!(
            (got.class, got.status_code),
            (ErrorClass::Timeout, 408),
            "{p:?}"
        );
    }
}

#[test]
fn stream_error_event_uses_the_event_message() {
    let err = CoreError::StreamEvent {
        body: r#"{"error": {"message": "Overloaded"}}"#.to_owned(),
    };
    // Measured by the harness on authored__stream_error_midstream (openai, mistral, xai).
    let got = classify(Provider::OpenAI, &err);
    assert_eq!(got.class, ErrorClass::APIConnectionError);
    assert_eq!(
        got.message,
        "APIConnectionError: OpenAIException - Overloaded"
    );
    let got = classify(Provider::Mistral, &err);
    assert_eq!(got.class, ErrorClass::InternalServerError);
    assert_eq!(
        got.message,
        "InternalServerError: MistralException - Overloaded"
    );
}

#[test]
fn invalid_request_is_a_bad_request() {
    let err = CoreError::InvalidRequest {
        detail: "messages is required".to_owned(),
    };
    let got = classify(Provider::OpenAI, &err);
    assert_eq!(
        (got.class, got.status_code, got.message.as_str()),
        (ErrorClass::BadRequestError, 400, "messages is required")
    );
}

#[test]
fn every_class_has_a_distinct_name() {
    let all = [
        ErrorClass::AuthenticationError,
        ErrorClass::BadRequestError,
        ErrorClass::ContextWindowExceededError,
        ErrorClass::ContentPolicyViolationError,
        ErrorClass::UnsupportedParamsError,
        ErrorClass::RejectedRequestError,
        ErrorClass::PaymentRequiredError,
        ErrorClass::NotFoundError,
        ErrorClass::PermissionDeniedError,
        ErrorClass::UnprocessableEntityError,
        ErrorClass::RateLimitError,
        ErrorClass::Timeout,
        ErrorClass::InternalServerError,
        ErrorClass::ServiceUnavailableError,
        ErrorClass::MidStreamFallbackError,
        ErrorClass::BadGatewayError,
        ErrorClass::APIError,
        ErrorClass::APIConnectionError,
        ErrorClass::APIResponseValidationError,
        ErrorClass::JSONSchemaValidationError,
    ];
    let names: std::collections::HashSet<_> = all.iter().map(|c| c.name()).collect();
    assert_eq!(names.len(), all.len());
}

#[test]
fn responses_failures_quote_the_reply_as_litellms_responses_handler() {
    use crate::classify::{classify_responses, ErrorClass};
    let body = r#"{"error":{"message":"No such model","code":"model_not_found","type":"invalid_request_error"}}"#;
    let c = classify_responses(
        Provider::OpenAI,
        &CoreError::Status {
            status: 404,
            body: body.into(),
            headers: vec![],
        },
    );
    assert_eq!(c.class, ErrorClass::NotFoundError);
    assert_eq!(c.message, format!("OpenAIException - {body}"));
    let c = classify_responses(
        Provider::OpenAI,
        &CoreError::Decode {
            status: 200,
            detail: "x".into(),
            body: "event: a".into(),
            headers: vec![],
        },
    );
    assert_eq!((c.class, c.status_code), (ErrorClass::APIError, 200));
    assert_eq!(c.message, "APIError: OpenAIException - event: a");
    let c = classify_responses(Provider::OpenAI, &CoreError::Timeout { during: "connect" });
    assert_eq!(
        c.message,
        "Timeout Error: OpenAIException - litellm.Timeout: Read timed out."
    );
}
