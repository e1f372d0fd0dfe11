//! Chunks and bodies litellm cannot read, against what litellm 1.110.2 raised for the same bytes
//! (`tools/measure_silent_errors.py`): the Python error its parser hits, as a litellm exception.

use super::*;
use crate::error::Problem;

fn unusable(p: Provider, body: &str, problem: Problem) -> (ErrorClass, u16, String) {
    let c = classify(
        p,
        &CoreError::Unusable {
            body: body.to_owned(),
            problem,
        },
    );
    (c.class, c.status_code, c.message)
}

#[test]
fn unreadable_chunks_are_connection_errors_quoting_pythons_complaint() {
    let list = Problem::NotAnObject;
    assert_eq!(
        unusable(Provider::OpenAI, "[1, 2]", list),
        (
            ErrorClass::APIConnectionError,
            500,
            "APIConnectionError: OpenAIException - 'list' object has no attribute 'choices'"
                .to_owned()
        )
    );
    assert_eq!(
        unusable(Provider::Mistral, "[1, 2]", list).2,
        "APIConnectionError: MistralException - 'list' object has no attribute 'get'"
    );
    assert_eq!(
        unusable(Provider::OpenRouter, "[1, 2]", list).2,
        "APIConnectionError: OpenrouterException - list indices must be integers or slices, not str"
    );
    assert_eq!(
        unusable(Provider::Xai, r#"{"choices": null}"#, Problem::NullChoices).2,
        "APIConnectionError: XaiException - object of type 'NoneType' has no len()"
    );
    assert_eq!(
        unusable(
            Provider::Azure,
            r#"{"choices": [null]}"#,
            Problem::ChoiceNotAnObject
        )
        .2,
        "AzureException APIConnectionError - 'NoneType' object has no attribute 'delta'"
    );
    assert!(unusable(
        Provider::DeepSeek,
        r#"{"choices": [null]}"#,
        Problem::ChoiceNotAnObject
    )
    .2
    .starts_with(
        "APIConnectionError: DeepseekException - Error parsing chunk: 1 validation error"
    ));
}

#[test]
fn a_body_that_is_not_an_object_fails_where_each_route_reads_it() {
    let p = Problem::BodyNotAnObject;
    assert_eq!(
        unusable(Provider::OpenAI, "[1, 2]", p),
        (
            ErrorClass::InternalServerError,
            500,
            "InternalServerError: OpenAIException - Empty or invalid response from LLM endpoint. Received: [1, 2]. \
             Check the reverse proxy or model server configuration."
                .to_owned()
        )
    );
    assert_eq!(
        unusable(Provider::Azure, "[1, 2]", p),
        (
            ErrorClass::APIError,
            500,
            "AzureException APIError - Unexpected response from Azure: [1, 2]".to_owned()
        )
    );
    assert_eq!(
        unusable(Provider::Mistral, "[1, 2]", p).2,
        "APIConnectionError: MistralException - 'list' object has no attribute 'get'"
    );
    assert_eq!(
        unusable(Provider::HuggingFace, "[1, 2]", p).0,
        ErrorClass::APIConnectionError
    );
}

#[test]
fn a_null_delta_breaks_litellms_own_parsers() {
    let body = r#"{"choices": [{"index": 0, "delta": null}]}"#;
    assert_eq!(
        unusable(Provider::Mistral, body, Problem::NullDelta).2,
        "APIConnectionError: MistralException - argument of type 'NoneType' is not iterable"
    );
    assert_eq!(
        unusable(Provider::OpenRouter, body, Problem::NullDelta).2,
        "APIConnectionError: OpenrouterException - 'NoneType' object has no attribute 'get'"
    );
}
