//! OpenAI tools and `tool_choice` as litellm 1.110.2 sends them to Anthropic
//! (`AnthropicConfig._map_tools`, `_map_tool_choice`).

use serde_json::{json, Map, Value};

use crate::error::CoreError;

fn invalid(detail: impl Into<String>) -> CoreError {
    CoreError::InvalidRequest {
        detail: detail.into(),
    }
}

pub(super) fn tool_choice(choice: Option<&Value>, parallel: Option<bool>) -> Option<Value> {
    let mut mapped: Option<Map<String, Value>> = match choice {
        Some(Value::String(s)) => match s.as_str() {
            "auto" => Some(type_only("auto")),
            "required" => Some(type_only("any")),
            "none" => Some(type_only("none")),
            _ => None,
        },
        Some(Value::Object(o)) if o.contains_key("type") && !o.contains_key("function") => {
            match o.get("type").and_then(Value::as_str) {
                Some("auto") => Some(type_only("auto")),
                Some("required" | "any") => Some(type_only("any")),
                Some("none") => Some(type_only("none")),
                // Already Anthropic's (the response_format tool Python forces).
                Some("tool") => Some(o.clone()),
                _ => None,
            }
        }
        Some(Value::Object(o)) => o
            .get("function")
            .and_then(|f| f.get("name"))
            .filter(|n| !n.is_null())
            .map(|name| {
                let mut m = type_only("tool");
                m.insert("name".into(), name.clone());
                m
            }),
        _ => None,
    };
    if let Some(parallel) = parallel {
        let is_none = matches!(choice, Some(Value::String(s)) if s == "none");
        if !is_none {
            let m = mapped.get_or_insert_with(|| type_only("auto"));
            m.insert("disable_parallel_tool_use".into(), Value::Bool(!parallel));
        }
    }
    mapped.map(Value::Object)
}

fn type_only(kind: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), Value::String(kind.into()));
    m
}

pub(super) fn tools_to_anthropic(value: &Value) -> Result<Vec<Value>, CoreError> {
    let Value::Array(tools) = value else {
        return Err(invalid("tools must be a list"));
    };
    tools.iter().map(tool_to_anthropic).collect()
}

/// One OpenAI tool as litellm's `_map_tool_helper` sends it: functions become `custom` tools,
/// Anthropic's own tool types pass through with their fields.
fn tool_to_anthropic(tool: &Value) -> Result<Value, CoreError> {
    let Value::Object(t) = tool else {
        return Err(invalid("each tool must be an object"));
    };
    let kind = t.get("type").and_then(Value::as_str).unwrap_or("");
    let function = t.get("function").and_then(Value::as_object);
    if kind.is_empty() && t.contains_key("input_schema") {
        // Already an Anthropic tool: the response_format tool litellm adds has no type.
        return Ok(tool.clone());
    }
    let mut out = Map::new();
    if kind == "function" || kind == "custom" {
        let f = function.ok_or_else(|| invalid("a function tool needs a `function` object"))?;
        let name = f
            .get("name")
            .ok_or_else(|| invalid("a function tool needs a name"))?;
        out.insert("name".into(), name.clone());
        let schema = f
            .get("parameters")
            .cloned()
            .unwrap_or_else(|| json!({"type": "object", "properties": {}}));
        out.insert("input_schema".into(), input_schema(schema));
        out.insert("type".into(), Value::String("custom".into()));
        if let Some(d) = f.get("description").filter(|d| !d.is_null()) {
            out.insert("description".into(), d.clone());
        }
    } else if kind == "advisor_20260301" {
        out.insert("type".into(), Value::String(kind.into()));
        out.insert("name".into(), Value::String("advisor".into()));
        let model = t
            .get("model")
            .filter(|m| m.is_string())
            .ok_or_else(|| invalid("Advisor tool must have a valid model"))?;
        out.insert("model".into(), model.clone());
        for key in ["max_uses", "caching"] {
            if let Some(v) = t.get(key).filter(|v| !v.is_null()) {
                out.insert(key.into(), v.clone());
            }
        }
    } else {
        // Anthropic's hosted tools (code execution, web search, bash, text editor, ...): type and
        // name first, the rest as given.
        out.insert("type".into(), Value::String(kind.into()));
        let name = t
            .get("name")
            .or_else(|| function.and_then(|f| f.get("name")))
            .filter(|n| n.is_string())
            .ok_or_else(|| invalid("Missing required parameter: name"))?;
        out.insert("name".into(), name.clone());
        for (k, v) in t {
            if k != "type" && k != "name" {
                out.insert(k.clone(), v.clone());
            }
        }
        return Ok(Value::Object(out));
    }
    let cache = t
        .get("cache_control")
        .or_else(|| function.and_then(|f| f.get("cache_control")));
    if let Some(c) = cache.filter(|c| !c.is_null()) {
        out.insert("cache_control".into(), c.clone());
    }
    Ok(Value::Object(out))
}

/// Anthropic requires an object schema with `properties`; litellm adds an empty one when missing.
fn input_schema(schema: Value) -> Value {
    match schema {
        Value::Object(mut m) => {
            if m.get("type").and_then(Value::as_str) == Some("object")
                && !m.contains_key("properties")
            {
                m.insert("properties".into(), json!({}));
            }
            Value::Object(m)
        }
        other => other,
    }
}
