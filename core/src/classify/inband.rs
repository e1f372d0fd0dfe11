//! Errors inside a success reply (`crate::verdict` finds them): an error object in a 200 body, an
//! error chunk in a 200 stream, JSON the route cannot read. litellm raises each from a different
//! place (its response converter, each route's chunk parser, a Python exception while parsing), and
//! the class and text follow that place. Measured with `tools/measure_silent_errors.py`; where
//! litellm itself crashes (a non-numeric code on OpenRouter or Groq) or answers (Groq and Fireworks
//! never look at a 200 body's `error`), the route is classified like its siblings instead.

use serde_json::{Map, Value};

use super::reply::{classify_reply, error_object, Reply};
use super::{done, Classification, ErrorClass, Family};
use crate::error::Problem;
use crate::provider::Provider;
use crate::pytext::{json_dumps, repr, str_of, type_name};
use crate::verdict::finish_reason;

/// What litellm's mappers answer for a status that matches none of their branches: the generic
/// `APIError` (litellm then carries the non-numeric code; the status here is 500).
const UNMATCHED_STATUS: u16 = 599;

/// A 200 body whose `error` litellm's converter raises as a bare exception carrying `error.code`
/// as its status and `error.message` as its text; the route's mapper then names it.
pub(super) fn error_body(
    fam: Family,
    label: &str,
    status: Option<u16>,
    message: &str,
) -> Classification {
    let mut c = classify_reply(
        fam,
        label,
        Some(status.unwrap_or(UNMATCHED_STATUS)),
        &Reply::text(message),
    );
    if c.status_code == UNMATCHED_STATUS {
        c.status_code = 500;
    }
    // litellm's own HTTP routes build the BadRequestError with no reply, so its status is 400.
    let bad_request = matches!(
        c.class,
        ErrorClass::BadRequestError
            | ErrorClass::ContextWindowExceededError
            | ErrorClass::ContentPolicyViolationError
    );
    if bad_request && matches!(fam, Family::OpenAiCompatible | Family::OpenRouter) {
        c.status_code = 400;
    }
    c
}

/// An error chunk (or `event: error`) inside a 200 stream. The openai SDK raises a bodiless
/// `APIError` that litellm maps to APIConnectionError under the OpenAI label; litellm's own parsers
/// raise with the chunk's `error.code` as the status, which the route's mapper then names.
pub(super) fn stream_event(
    provider: Provider,
    fam: Family,
    label: &str,
    body: &str,
) -> Classification {
    let chunk: Option<Value> = serde_json::from_str(body.trim()).ok();
    let error = chunk.as_ref().and_then(|c| c.get("error"));
    if error.is_none() {
        if let Some(c) = chunk.as_ref().and_then(|c| failing_finish(fam, label, c)) {
            return c;
        }
    }
    match fam {
        Family::OpenAiSdk | Family::Azure => {
            let msg = error_object(body.trim())
                .and_then(|d| d.get("message").and_then(Value::as_str).map(str::to_owned))
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "An error occurred during streaming".to_owned());
            let text = if fam == Family::Azure {
                format!("AzureException APIConnectionError - {msg}")
            } else {
                format!("APIConnectionError: OpenAIException - {msg}")
            };
            done(ErrorClass::APIConnectionError, 500, text)
        }
        Family::OpenRouter => match (chunk.as_ref(), error) {
            (Some(chunk), Some(error)) => openrouter_event(label, chunk, error),
            _ => classify_reply(fam, label, Some(500), &Reply::http(fam, 500, body)),
        },
        Family::OpenAiCompatible | Family::HuggingFace => {
            let (status, msg) = match error {
                None => (500, body.to_owned()),
                Some(e) if provider == Provider::Groq => match e.as_object() {
                    Some(e) => (
                        groq_status(e),
                        str_of(e.get("message").unwrap_or(&Value::Null)),
                    ),
                    None => return parse_failure(fam, label, &attr_error(e, "get")),
                },
                Some(e) => compat_error(e),
            };
            classify_reply(fam, label, Some(status), &Reply::text(&msg))
        }
    }
}

/// A chunk without an error that litellm raises on for its finish_reason (`verdict::chunk_verdict`):
/// "abort" is an upstream 500 ("Upstream generation aborted"), the SDK's "error" a bare Exception.
fn failing_finish(fam: Family, label: &str, chunk: &Value) -> Option<Classification> {
    let choices = chunk.get("choices").and_then(Value::as_array)?;
    let finish = finish_reason;
    let sdk = matches!(fam, Family::OpenAiSdk | Family::Azure);
    if choices.iter().any(|c| finish(c) == Some("abort")) {
        const ABORTED: &str = "Upstream generation aborted (finish_reason=abort)";
        if sdk {
            return Some(done(
                ErrorClass::InternalServerError,
                500,
                ABORTED.to_owned(),
            ));
        }
        return Some(classify_reply(fam, label, Some(500), &Reply::text(ABORTED)));
    }
    if sdk && choices.first().and_then(finish) == Some("error") {
        let route = if fam == Family::Azure {
            "azure"
        } else {
            "openai"
        };
        let text = format!(
            "{route} raised a streaming error - finish_reason: error, no content string given."
        );
        return Some(parse_failure(fam, label, &text));
    }
    None
}

/// litellm's `_extract_error_from_chunk`: a code within 400..600 is the status, else 500; the text
/// is `error.message`, or the whole error as JSON.
fn compat_error(error: &Value) -> (u16, String) {
    let Some(obj) = error.as_object() else {
        return (500, str_of(error));
    };
    let status = obj
        .get("code")
        .and_then(Value::as_u64)
        .filter(|c| (400..600).contains(c))
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(500);
    let msg = match obj.get("message") {
        Some(Value::String(s)) => s.clone(),
        _ => json_dumps(error),
    };
    (status, msg)
}

/// Groq's parser takes `error.code` as it is (litellm crashes on a non-numeric one): 500 then.
fn groq_status(error: &Map<String, Value>) -> u16 {
    error
        .get("code")
        .and_then(Value::as_u64)
        .filter(|c| (100..1000).contains(c))
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(500)
}

/// OpenRouter's chunk parser: `error["message"]` and `error["code"]` must exist (a KeyError is its
/// BadRequestError), the message quotes metadata and user id, the code is the status (litellm
/// crashes on a non-numeric code such as "server_error": 500 here).
fn openrouter_event(label: &str, chunk: &Value, error: &Value) -> Classification {
    let Some(e) = error.as_object() else {
        return parse_failure(Family::OpenRouter, label, &not_subscriptable(error));
    };
    for key in ["message", "code"] {
        if !e.contains_key(key) {
            let text = format!(
                "{label} - KeyError: '{key}', Got unexpected response from OpenRouter: {}",
                repr(chunk)
            );
            return done(ErrorClass::BadRequestError, 400, text);
        }
    }
    let empty = Value::Object(Map::new());
    let text = format!(
        "Message: {}, Metadata: {}, User ID: {}",
        str_of(e.get("message").unwrap_or(&Value::Null)),
        str_of(e.get("metadata").unwrap_or(&empty)),
        e.get("user_id").map(str_of).unwrap_or_default(),
    );
    let status = e
        .get("code")
        .and_then(Value::as_u64)
        .filter(|c| (100..1000).contains(c))
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(500);
    classify_reply(Family::OpenRouter, label, Some(status), &Reply::text(&text))
}

/// A chunk litellm cannot read: the Python error its parser hits, raised as APIConnectionError.
pub(super) fn unusable_chunk(
    provider: Provider,
    fam: Family,
    label: &str,
    body: &str,
    problem: Problem,
) -> Classification {
    let value: Value = serde_json::from_str(body.trim()).unwrap_or(Value::Null);
    let choices = value.get("choices").unwrap_or(&Value::Null);
    let sdk = matches!(fam, Family::OpenAiSdk | Family::Azure);
    let text = match problem {
        Problem::BodyNotAnObject => return unusable_body(provider, fam, label, &value),
        Problem::NotAnObject if sdk => attr_error(&value, "choices"),
        Problem::NotAnObject if provider == Provider::OpenRouter => match &value {
            Value::Array(_) => "list indices must be integers or slices, not str".to_owned(),
            Value::String(_) => "string indices must be integers, not 'str'".to_owned(),
            other => format!("argument of type '{}' is not iterable", type_name(other)),
        },
        Problem::NotAnObject => attr_error(&value, "get"),
        Problem::NullChoices if provider == Provider::Xai => {
            "object of type 'NoneType' has no len()".to_owned()
        }
        Problem::NullChoices => "'NoneType' object is not iterable".to_owned(),
        Problem::ChoicesNotAList => choices_not_a_list(provider, sdk, choices),
        Problem::NullDelta if provider == Provider::OpenRouter => {
            "'NoneType' object has no attribute 'get'".to_owned()
        }
        Problem::NullDelta => "argument of type 'NoneType' is not iterable".to_owned(),
        Problem::ChoiceNotAnObject => {
            let bad = choices
                .as_array()
                .and_then(|items| items.iter().find(|c| !c.is_object()))
                .unwrap_or(&Value::Null);
            match provider {
                _ if sdk => attr_error(bad, "delta"),
                Provider::OpenRouter => not_subscriptable(bad),
                Provider::Groq => attr_error(bad, "get"),
                _ => validation_error(bad),
            }
        }
    };
    parse_failure(fam, label, &text)
}

/// A 200 body that is JSON but not an object: each route fails somewhere else reading it.
fn unusable_body(provider: Provider, fam: Family, label: &str, value: &Value) -> Classification {
    let text = match fam {
        Family::OpenAiSdk => {
            let msg = format!(
                "InternalServerError: {label} - Empty or invalid response from LLM endpoint. Received: {}. \
                 Check the reverse proxy or model server configuration.",
                str_of(value)
            );
            return done(ErrorClass::InternalServerError, 500, msg);
        }
        Family::Azure => {
            let msg = format!(
                "AzureException APIError - Unexpected response from Azure: {}",
                str_of(value)
            );
            return done(ErrorClass::APIError, 500, msg);
        }
        _ if provider == Provider::Mistral => attr_error(value, "get"),
        _ if provider == Provider::Groq => format!(
            "litellm.types.utils.ModelResponse() argument after ** must be a mapping, not {}",
            type_name(value)
        ),
        _ if provider == Provider::FireworksAi => {
            "1 validation error for dict[str,any]\n  Input should be a valid dictionary [type=dict_type]"
                .to_owned()
        }
        _ => "Invalid response object".to_owned(),
    };
    parse_failure(fam, label, &text)
}

/// What litellm raises when its parser hits a Python error: APIConnectionError under the route's
/// label (the OpenAI label on the SDK routes; none on Hugging Face's).
fn parse_failure(fam: Family, label: &str, text: &str) -> Classification {
    let message = match fam {
        Family::OpenAiSdk => format!("APIConnectionError: OpenAIException - {text}"),
        Family::Azure => format!("AzureException APIConnectionError - {text}"),
        Family::HuggingFace => text.to_owned(),
        Family::OpenAiCompatible | Family::OpenRouter => {
            format!("APIConnectionError: {label} - {text}")
        }
    };
    done(ErrorClass::APIConnectionError, 500, message)
}

/// The Python error each parser hits on `choices` that is a dict, a string or a number.
fn choices_not_a_list(provider: Provider, sdk: bool, choices: &Value) -> String {
    let t = type_name(choices);
    let text_like = matches!(choices, Value::Object(_) | Value::String(_));
    match provider {
        _ if sdk => match choices {
            Value::Object(_) => "0".to_owned(), // KeyError(0)
            Value::String(_) => "'str' object has no attribute 'delta'".to_owned(),
            _ => format!("'{t}' object is not subscriptable"),
        },
        Provider::OpenRouter if text_like => "string indices must be integers, not 'str'".to_owned(),
        Provider::Groq if text_like => "'str' object has no attribute 'get'".to_owned(),
        Provider::OpenRouter | Provider::Groq => format!("'{t}' object is not iterable"),
        Provider::Xai if !text_like => format!("object of type '{t}' has no len()"),
        _ => format!(
            "Error parsing chunk: 1 validation error for tuple[dict[str,any], ...]\n  Input should be a \
             valid tuple [type=tuple_type, input_value={}, input_type={t}]",
            repr(choices)
        ),
    }
}

fn attr_error(value: &Value, attr: &str) -> String {
    format!("'{}' object has no attribute '{attr}'", type_name(value))
}

fn not_subscriptable(value: &Value) -> String {
    match value {
        Value::String(_) => "string indices must be integers, not 'str'".to_owned(),
        Value::Array(_) => "list indices must be integers or slices, not str".to_owned(),
        other => format!("'{}' object is not subscriptable", type_name(other)),
    }
}

/// The first line of pydantic's complaint when litellm validates the choices as dicts.
fn validation_error(bad: &Value) -> String {
    format!(
        "Error parsing chunk: 1 validation error for tuple[dict[str,any], ...]\n0\n  Input should be a \
         valid dictionary [type=dict_type, input_value={}, input_type={}]",
        repr(bad),
        type_name(bad)
    )
}
