//! Classification against rows measured on litellm itself: every provider answering every scenario.

use super::reply::error_object;
use super::*;

// Rows measured by running litellm 1.110.2 (max_retries=0) against a loopback server that
// answered each scenario in `SCENARIOS`; the expected message is what litellm passed as `message=`,
// with `{body}` standing for the raw body and `{msg}` for its `error.message`. The rows live in
// measured.json, one object per row, in the order they were measured.
const MEASURED_JSON: &str = include_str!("measured.json");

/// The rows measured.json held when it was converted from the Rust table: a row lost in an edit
/// fails the test instead of shrinking what it checks.
const MEASURED_ROW_COUNT: usize = 198;

/// One measured reply: what litellm raised for `provider` answering `scenario`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasuredRow {
    provider: String,
    scenario: String,
    class: String,
    status: u16,
    message: String,
}

/// measured.json with each provider name resolved, or what in it does not parse.
fn measured_rows() -> Result<Vec<(Provider, MeasuredRow)>, String> {
    let rows: Vec<MeasuredRow> =
        serde_json::from_str(MEASURED_JSON).map_err(|e| format!("measured.json: {e}"))?;
    rows.into_iter()
        .map(|row| match Provider::from_name(&row.provider) {
            Some(provider) => Ok((provider, row)),
            None => Err(format!(
                "measured.json: unknown provider {:?}",
                row.provider
            )),
        })
        .collect()
}

const SCENARIOS: &[(&str, u16, &str)] = &[
    ("400ctx", 400, "{\"error\": {\"message\": \"This model's maximum context length is 128000 tokens. However, your messages resulted in 200000 tokens. Please reduce the length of the messages.\", \"type\": \"invalid_request_error\", \"param\": \"messages\", \"code\": \"context_length_exceeded\"}}"),
    ("400", 400, "{\"error\": {\"message\": \"Invalid value for 'temperature': must be <= 2.\", \"type\": \"invalid_request_error\", \"param\": \"temperature\", \"code\": \"invalid_value\"}}"),
    ("400plain", 400, "{\"error\": {\"message\": \"Bad thing happened.\", \"type\": \"bad_request\", \"param\": null, \"code\": null}}"),
    ("400policy", 400, "{\"error\": {\"message\": \"Your request was rejected as a result of our safety system.\", \"type\": \"invalid_request_error\", \"param\": null, \"code\": \"content_policy_violation\"}}"),
    ("401", 401, "{\"error\": {\"message\": \"Incorrect API key provided: sk-bad. You can find your API key at https://platform.openai.com/account/api-keys.\", \"type\": \"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}"),
    ("401plain", 401, "{\"error\": {\"message\": \"Invalid authentication\", \"type\": \"authentication_error\", \"param\": null, \"code\": null}}"),
    ("403", 403, "{\"error\": {\"message\": \"You are not allowed to sample from this model\", \"type\": \"permission_error\", \"param\": null, \"code\": null}}"),
    ("404", 404, "{\"error\": {\"message\": \"The model `nope` does not exist or you do not have access to it.\", \"type\": \"invalid_request_error\", \"param\": null, \"code\": \"model_not_found\"}}"),
    ("404plain", 404, "{\"error\": {\"message\": \"Not found\", \"type\": \"not_found\", \"param\": null, \"code\": null}}"),
    ("408", 408, "{\"error\": {\"message\": \"Request took too long\", \"type\": \"timeout\", \"param\": null, \"code\": null}}"),
    ("422", 422, "{\"error\": {\"message\": \"Unprocessable input\", \"type\": \"invalid_input\", \"param\": null, \"code\": null}}"),
    ("429", 429, "{\"error\": {\"message\": \"Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): Limit 3, Used 3, Requested 1.\", \"type\": \"requests\", \"param\": null, \"code\": \"rate_limit_exceeded\"}}"),
    ("500", 500, "{\"error\": {\"message\": \"The server had an error while processing your request. Sorry about that!\", \"type\": \"server_error\", \"param\": null, \"code\": null}}"),
    ("502html", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
    ("503text", 503, "Service Unavailable"),
    ("503", 503, "{\"error\": {\"message\": \"The engine is currently overloaded, please try again later.\", \"type\": \"server_error\", \"param\": null, \"code\": null}}"),
    ("504", 504, "{\"error\": {\"message\": \"Gateway timeout\", \"type\": \"server_error\", \"param\": null, \"code\": null}}"),
    ("529", 529, "{\"error\": {\"message\": \"Overloaded\", \"type\": \"overloaded_error\"}}"),
];
// Measured the same way: the failures that are not an error status. Only class and status are
// compared, because litellm's message quotes Python's own error text, which `from_core` rebuilds.
const OTHER_KINDS: &[(Provider, &str, &str, u16)] = &[
    (Provider::OpenAI, "badjson", "InternalServerError", 500),
    (Provider::OpenAI, "emptybody", "InternalServerError", 500),
    (Provider::OpenAI, "timeout", "Timeout", 408),
    (Provider::OpenAI, "connrefused", "InternalServerError", 500),
    (Provider::Azure, "badjson", "APIError", 500),
    (Provider::Azure, "emptybody", "APIError", 500),
    (Provider::Azure, "timeout", "Timeout", 408),
    (Provider::Azure, "connrefused", "APIConnectionError", 500),
    (Provider::Mistral, "badjson", "APIConnectionError", 500),
    (Provider::Mistral, "emptybody", "APIConnectionError", 500),
    (Provider::Mistral, "timeout", "Timeout", 408),
    (Provider::Mistral, "connrefused", "InternalServerError", 500),
    (Provider::Xai, "badjson", "APIError", 200),
    (Provider::Xai, "emptybody", "APIError", 200),
    (Provider::Xai, "timeout", "Timeout", 408),
    (Provider::Xai, "connrefused", "InternalServerError", 500),
    (Provider::OpenRouter, "badjson", "APIError", 200),
    (Provider::OpenRouter, "emptybody", "APIError", 200),
    (Provider::OpenRouter, "timeout", "Timeout", 408),
    (
        Provider::OpenRouter,
        "connrefused",
        "APIConnectionError",
        500,
    ),
    (Provider::Groq, "badjson", "APIConnectionError", 500),
    (Provider::Groq, "emptybody", "APIConnectionError", 500),
    (Provider::Groq, "timeout", "Timeout", 408),
    (Provider::Groq, "connrefused", "InternalServerError", 500),
    (Provider::DeepSeek, "badjson", "APIError", 200),
    (Provider::DeepSeek, "emptybody", "APIError", 200),
    (Provider::DeepSeek, "timeout", "Timeout", 408),
    (
        Provider::DeepSeek,
        "connrefused",
        "InternalServerError",
        500,
    ),
    (Provider::TogetherAi, "badjson", "APIError", 200),
    (Provider::TogetherAi, "emptybody", "APIError", 200),
    (Provider::TogetherAi, "timeout", "Timeout", 408),
    (
        Provider::TogetherAi,
        "connrefused",
        "InternalServerError",
        500,
    ),
    (Provider::FireworksAi, "badjson", "APIError", 200),
    (Provider::FireworksAi, "emptybody", "APIError", 200),
    (Provider::FireworksAi, "timeout", "Timeout", 408),
    (
        Provider::FireworksAi,
        "connrefused",
        "InternalServerError",
        500,
    ),
    (Provider::HuggingFace, "badjson", "APIError", 200),
    (Provider::HuggingFace, "emptybody", "APIError", 200),
    (Provider::HuggingFace, "timeout", "Timeout", 408),
    (Provider::HuggingFace, "connrefused", "APIError", 500),
    (Provider::Cerebras, "badjson", "InternalServerError", 500),
    (Provider::Cerebras, "emptybody", "InternalServerError", 500),
    (Provider::Cerebras, "timeout", "Timeout", 408),
    (
        Provider::Cerebras,
        "connrefused",
        "InternalServerError",
        500,
    ),
];

fn body_of(scenario: &str) -> (u16, &'static str) {
    SCENARIOS
        .iter()
        .find(|(k, _, _)| *k == scenario)
        .map(|(_, s, b)| (*s, *b))
        .unwrap_or((0, ""))
}

fn parsed_message(body: &str) -> Option<String> {
    error_object(body).and_then(|o| o.get("message").and_then(|m| m.as_str()).map(str::to_owned))
}

#[test]
fn every_measured_status_row_matches_litellm() -> Result<(), String> {
    let rows = measured_rows()?;
    assert_eq!(rows.len(), MEASURED_ROW_COUNT, "rows in measured.json");
    let mut failures = Vec::new();
    for (provider, row) in &rows {
        let (status, body) = body_of(&row.scenario);
        let err = CoreError::Status {
            status,
            body: body.to_owned(),
            headers: vec![],
        };
        let got = classify(*provider, &err);
        let mut want = row.message.replace("{body}", body);
        if let Some(m) = parsed_message(body) {
            want = want.replace("{msg}", &m);
        }
        if got.class.name() != row.class || got.status_code != row.status || got.message != want {
            failures.push(format!(
                "{provider:?} {}: got {} {} {:?}, want {} {} {want:?}",
                row.scenario,
                got.class.name(),
                got.status_code,
                got.message,
                row.class,
                row.status
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}

#[test]
fn every_measured_transport_row_matches_litellm() {
    let mut failures = Vec::new();
    for (provider, scenario, class, status_code) in OTHER_KINDS {
        let err = match *scenario {
            "badjson" => CoreError::Decode {
                status: 200,
                detail: "Expecting value: line 1 column 35 (char 34)".to_owned(),
                body: "{\"id\": \"chatcmpl-x\", \"choices\": [ this is not json".to_owned(),
                headers: vec![],
            },
            "emptybody" => CoreError::Decode {
                status: 200,
                detail: "Expecting value: line 1 column 1 (char 0)".to_owned(),
                body: String::new(),
                headers: vec![],
            },
            "timeout" => CoreError::Timeout { during: "read" },
            _ => CoreError::Connect {
                detail: "[Errno 111] Connection refused".to_owned(),
                errno: Some(111),
            },
        };
        let got = classify(*provider, &err);
        if got.class.name() != *class || got.status_code != *status_code {
            failures.push(format!(
                "{provider:?} {scenario}: got {} {}",
                got.class.name(),
                got.status_code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
