//! Grounding metadata as litellm counts and cites it: billable web-search and Maps grounding
//! requests (into `prompt_tokens_details`), and `url_citation` annotations from the supports.

use serde_json::{json, Value};

use super::response::per_hop;

fn chunk_kinds(item: &Value) -> Vec<&str> {
    item.get("groundingChunks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|c| c.keys().map(String::as_str))
        .collect()
}

fn is_maps_item(item: &Value) -> bool {
    chunk_kinds(item).contains(&"maps")
        || item
            .get("googleMapsWidgetContextToken")
            .is_some_and(crate::pytext::truthy)
}

/// litellm's `calculate_grounding_requests`: distinct web-search queries, and Maps grounding
/// (at least one request when a candidate carries Maps chunks).
pub fn grounding_requests(items: &[Value]) -> (Option<usize>, Option<usize>) {
    let mut web: Vec<&str> = Vec::new();
    let mut maps: Vec<&str> = Vec::new();
    for item in items.iter().filter(|i| i.is_object()) {
        let to_maps = is_maps_item(item) && !chunk_kinds(item).contains(&"web");
        for q in item
            .get("webSearchQueries")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|q| !q.is_empty())
        {
            let set = if to_maps { &mut maps } else { &mut web };
            if !set.contains(&q) {
                set.push(q);
            }
        }
    }
    let has_maps = items.iter().any(is_maps_item);
    (
        Some(web.len()).filter(|n| *n > 0),
        has_maps.then_some(maps.len().max(1)),
    )
}

/// `usage` with litellm's grounding counters set from the response's grounding metadata.
pub fn with_grounding(mut usage: Value, grounding: &[Value]) -> Value {
    let (web, maps) = grounding_requests(grounding);
    if let Some(details) = usage
        .get_mut("prompt_tokens_details")
        .and_then(Value::as_object_mut)
    {
        if let Some(n) = web {
            details.insert("web_search_requests".into(), json!(n));
        }
        if let Some(n) = maps {
            details.insert("google_maps_grounding_requests".into(), json!(n));
        }
    }
    usage
}

/// Whether a reply's grounding is billed apart (then its tool-use tokens are not input tokens).
pub(super) fn billable_grounding(body: &Value) -> bool {
    body.get("candidates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| {
            let items = c.get("groundingMetadata").map(per_hop).unwrap_or_default();
            let (web, maps) = grounding_requests(&items);
            web.is_some() || maps.is_some()
        })
}

/// litellm's `_convert_grounding_metadata_to_annotations`: a `url_citation` per supported segment
/// and web chunk.
pub(super) fn annotations(grounding: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for meta in grounding {
        let chunks = meta.get("groundingChunks").and_then(Value::as_array);
        let web = |i: u64| -> Option<(Value, Value)> {
            let web = chunks?.get(usize::try_from(i).ok()?)?.get("web")?;
            Some((
                web.get("uri").cloned().unwrap_or(json!("")),
                web.get("title").cloned().unwrap_or(json!("")),
            ))
        };
        for support in meta
            .get("groundingSupports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let segment = support.get("segment");
            let start = segment
                .and_then(|s| s.get("startIndex"))
                .filter(|v| !v.is_null());
            let end = segment
                .and_then(|s| s.get("endIndex"))
                .filter(|v| !v.is_null());
            let (Some(start), Some(end)) = (start, end) else {
                continue;
            };
            for idx in support
                .get("groundingChunkIndices")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_u64)
            {
                if let Some((url, title)) = web(idx) {
                    out.push(json!({"type": "url_citation", "url_citation": {
                        "start_index": start, "end_index": end, "url": url, "title": title}}));
                }
            }
        }
    }
    out
}
