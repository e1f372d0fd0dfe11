//! Errors inside success replies, against what litellm 1.110.2 raised for the same bytes
//! (`tools/measure_silent_errors.py`; the message is the one litellm passed as `message=`).

use super::*;

fn body_error(p: Provider, status: Option<u16>, message: &str) -> (ErrorClass, u16, String) {
    let err = CoreError::ErrorBody {
        status,
        message: message.to_owned(),
        body: String::new(),
        headers: vec![],
    };
    let c = classify(p, &err);
    (c.class, c.status_code, c.message)
}

#[test]
fn an_error_body_is_the_error_it_describes() {
    use ErrorClass::*;
    let rows: &[(Provider, Option<u16>, ErrorClass, u16, &str)] = &[
        (
            Provider::OpenAI,
            Some(500),
            InternalServerError,
            500,
            "InternalServerError: OpenAIException - boom",
        ),
        (
            Provider::Azure,
            Some(500),
            APIError,
            500,
            "AzureException APIError - boom",
        ),
        (
            Provider::Mistral,
            Some(500),
            InternalServerError,
            500,
            "InternalServerError: MistralException - boom",
        ),
        (
            Provider::OpenRouter,
            Some(500),
            APIError,
            500,
            "APIError: OpenrouterException - boom",
        ),
        (
            Provider::HuggingFace,
            Some(500),
            APIError,
            500,
            "HuggingfaceException - boom",
        ),
        (
            Provider::Cerebras,
            Some(500),
            InternalServerError,
            500,
            "InternalServerError: CerebrasException - boom",
        ),
        // no code: 422, which litellm's own routes report as a plain 400 BadRequestError
        (
            Provider::OpenAI,
            Some(422),
            BadRequestError,
            422,
            "OpenAIException - boom",
        ),
        (
            Provider::Mistral,
            Some(422),
            BadRequestError,
            400,
            "MistralException - boom",
        ),
        (
            Provider::OpenRouter,
            Some(422),
            BadRequestError,
            400,
            "BadRequestError: OpenrouterException - boom",
        ),
        (
            Provider::HuggingFace,
            Some(422),
            APIError,
            422,
            "HuggingfaceException - boom",
        ),
        (
            Provider::Xai,
            Some(401),
            AuthenticationError,
            401,
            "AuthenticationError: XaiException - boom",
        ),
        (
            Provider::DeepSeek,
            Some(404),
            NotFoundError,
            404,
            "NotFoundError: DeepseekException - boom",
        ),
        (
            Provider::TogetherAi,
            Some(429),
            RateLimitError,
            429,
            "RateLimitError: Together_aiException - boom",
        ),
        (
            Provider::Azure,
            Some(503),
            ServiceUnavailableError,
            503,
            "AzureException ServiceUnavailableError - boom",
        ),
        (
            Provider::OpenAI,
            Some(529),
            APIError,
            529,
            "APIError: OpenAIException - boom",
        ),
        // a code that is no number ("server_error", null): the generic APIError
        (
            Provider::Mistral,
            None,
            APIError,
            500,
            "APIError: MistralException - boom",
        ),
        (
            Provider::HuggingFace,
            None,
            APIError,
            500,
            "HuggingfaceException - boom",
        ),
    ];
    for (p, status, class, code, message) in rows {
        assert_eq!(
            body_error(*p, *status, "boom"),
            (*class, *code, (*message).to_owned()),
            "{p:?} {status:?}"
        );
    }
}

#[test]
fn an_error_bodys_text_goes_through_the_mappers_rules() {
    let (class, status, _) = body_error(
        Provider::Mistral,
        Some(500),
        "Rate limit reached for requests",
    );
    assert_eq!((class, status), (ErrorClass::RateLimitError, 429));
    let (class, status, _) = body_error(
        Provider::DeepSeek,
        Some(400),
        "This model's maximum context length is 10 tokens",
    );
    assert_eq!(
        (class, status),
        (ErrorClass::ContextWindowExceededError, 400)
    );
    // OpenRouter's mapper looks at the status only
    let (class, _, _) = body_error(
        Provider::OpenRouter,
        Some(500),
        "Rate limit reached for requests",
    );
    assert_eq!(class, ErrorClass::APIError);
}

fn event(p: Provider, body: &str) -> (ErrorClass, u16, String) {
    let c = classify(
        p,
        &CoreError::StreamEvent {
            body: body.to_owned(),
        },
    );
    (c.class, c.status_code, c.message)
}

const OPENROUTER_MIDSTREAM: &str = r#"{"id":"c1","choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}],"error":{"code":"server_error","message":"Provider disconnected unexpectedly"}}"#;

#[test]
fn openrouters_midstream_error_keeps_the_providers_message() {
    // litellm crashes on the non-numeric code (int("server_error")); edgequake raises what a
    // numeric 5xx gives there: APIError(500), which the stream wrapper turns into MidStreamFallbackError.
    assert_eq!(
        event(Provider::OpenRouter, OPENROUTER_MIDSTREAM),
        (
            ErrorClass::APIError,
            500,
            "APIError: OpenrouterException - Message: Provider disconnected unexpectedly, Metadata: {}, User ID: "
                .to_owned()
        )
    );
    let with = |code: &str| OPENROUTER_MIDSTREAM.replace("\"server_error\"", code);
    assert_eq!(
        event(Provider::OpenRouter, &with("502")).0,
        ErrorClass::APIError
    );
    assert_eq!(event(Provider::OpenRouter, &with("502")).1, 502);
    assert_eq!(
        event(Provider::OpenRouter, &with("429")).0,
        ErrorClass::RateLimitError
    );
    assert_eq!(
        event(Provider::OpenRouter, &with("400")),
        (
            ErrorClass::BadRequestError,
            400,
            "OpenrouterException - Message: Provider disconnected unexpectedly, Metadata: {}, User ID: "
                .to_owned()
        )
    );
}

#[test]
fn openrouters_parser_wants_message_and_code() {
    let (class, status, message) = event(Provider::OpenRouter, r#"{"error": {"code": 502}}"#);
    assert_eq!((class, status), (ErrorClass::BadRequestError, 400));
    assert_eq!(
        message,
        "OpenrouterException - KeyError: 'message', Got unexpected response from OpenRouter: {'error': {'code': 502}}"
    );
    let (_, _, message) = event(
        Provider::OpenRouter,
        r#"{"id": "c", "error": {"message": "x"}}"#,
    );
    assert!(message.starts_with("OpenrouterException - KeyError: 'code', Got unexpected response"));
    let (class, _, message) = event(Provider::OpenRouter, r#"{"id": "c", "error": null}"#);
    assert_eq!(class, ErrorClass::APIConnectionError);
    assert_eq!(
        message,
        "APIConnectionError: OpenrouterException - 'NoneType' object is not subscriptable"
    );
}

#[test]
fn chunk_error_codes_are_the_status_on_litellms_own_routes() {
    let chunk = |code: &str| {
        format!(r#"{{"id":"c","choices":[],"error":{{"message":"boom","code":{code}}}}}"#)
    };
    assert_eq!(
        event(Provider::Mistral, &chunk("502")),
        (
            ErrorClass::BadGatewayError,
            502,
            "BadGatewayError: MistralException - boom".to_owned()
        )
    );
    assert_eq!(
        event(Provider::Xai, &chunk("429")).0,
        ErrorClass::RateLimitError
    );
    assert_eq!(
        event(Provider::DeepSeek, &chunk("400")),
        (
            ErrorClass::BadRequestError,
            400,
            "DeepseekException - boom".to_owned()
        )
    );
    assert_eq!(event(Provider::Groq, &chunk("\"tool_use_failed\"")).1, 500);
    assert_eq!(
        event(Provider::HuggingFace, &chunk("502")),
        (
            ErrorClass::APIError,
            502,
            "HuggingfaceException - boom".to_owned()
        )
    );
    // the SDK routes ignore the code, and say OpenAI even on Cerebras
    assert_eq!(
        event(Provider::Cerebras, &chunk("429")),
        (
            ErrorClass::APIConnectionError,
            500,
            "APIConnectionError: OpenAIException - boom".to_owned()
        )
    );
    // no message: the whole error object, as Python's json.dumps writes it
    let (_, status, message) = event(Provider::TogetherAi, r#"{"error": {"code": 502}}"#);
    assert_eq!(
        (status, message.as_str()),
        (
            502,
            "BadGatewayError: Together_aiException - {\"code\": 502}"
        )
    );
}

#[test]
fn failing_finish_reasons_raise() {
    let finish = |reason: &str| {
        format!(r#"{{"id":"c","choices":[{{"index":0,"delta":{{}},"finish_reason":"{reason}"}}]}}"#)
    };
    assert_eq!(
        event(Provider::Mistral, &finish("abort")),
        (
            ErrorClass::InternalServerError,
            500,
            "InternalServerError: MistralException - Upstream generation aborted (finish_reason=abort)".to_owned()
        )
    );
    assert_eq!(
        event(Provider::OpenAI, &finish("abort")),
        (
            ErrorClass::InternalServerError,
            500,
            "Upstream generation aborted (finish_reason=abort)".to_owned()
        )
    );
    assert_eq!(
        event(Provider::HuggingFace, &finish("abort")).0,
        ErrorClass::APIError
    );
    assert_eq!(
        event(Provider::Azure, &finish("error")),
        (
            ErrorClass::APIConnectionError,
            500,
            "AzureException APIConnectionError - azure raised a streaming error - finish_reason: error, \
             no content string given."
                .to_owned()
        )
    );
}
