//! The HTML page at `/`: a query box, a format choice and the example queries of
//! `ontology/queries/`, compiled into the binary. Knows nothing of evaluation.

/// The example queries shown on the page: a file name and its text.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "meetings.rq",
        include_str!("../../ontology/queries/meetings.rq"),
    ),
    (
        "officials.rq",
        include_str!("../../ontology/queries/officials.rq"),
    ),
    (
        "co-attendance.rq",
        include_str!("../../ontology/queries/co-attendance.rq"),
    ),
    ("stats.rq", include_str!("../../ontology/queries/stats.rq")),
];

const TEMPLATE: &str = include_str!("index.html");

/// The page, for a read-only or a writable endpoint.
pub fn index(writable: bool) -> String {
    let examples: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(name, text)| {
            // The first comment line names the query.
            let title = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix('#'))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .unwrap_or(name);
            serde_json::json!({ "name": format!("{name}: {title}"), "text": text })
        })
        .collect();
    // Inside <script>, '<' must not start a tag: \u003c is the same JSON string.
    let json = serde_json::Value::Array(examples)
        .to_string()
        .replace('<', "\\u003c");
    let update = if writable {
        "Writable: SPARQL Update at <code>/update</code>, Graph Store writes (PUT, POST, DELETE)."
    } else {
        "Read-only."
    };
    TEMPLATE
        .replace("{{EXAMPLES}}", &json)
        .replace("{{UPDATE}}", update)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Query files that are templates, not runnable examples.
    const NOT_EXAMPLES: &[&str] = &["explain.rq"];

    #[test]
    fn every_query_file_is_an_example() -> std::io::Result<()> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/queries");
        let mut files = Vec::new();
        for e in std::fs::read_dir(dir)? {
            let name = e?.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rq") && !NOT_EXAMPLES.contains(&name.as_str()) {
                files.push(name);
            }
        }
        files.sort();
        let mut listed: Vec<String> = EXAMPLES.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(
            files, listed,
            "list new query files in EXAMPLES (src/serve/page.rs)"
        );
        Ok(())
    }

    #[test]
    fn page_embeds_examples_safely() {
        let page = index(false);
        assert!(page.contains("meetings.rq: Meetings with date"));
        assert!(!page.contains("{{"));
        let start = page.find("id=\"examples\">").map(|i| i + 14).unwrap_or(0);
        let end = page[start..]
            .find("</script>")
            .map(|i| start + i)
            .unwrap_or(start);
        let json: Result<serde_json::Value, _> = serde_json::from_str(&page[start..end]);
        assert!(json.is_ok(), "examples are valid JSON");
        assert!(index(true).contains("/update"));
    }
}
