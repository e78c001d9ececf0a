//! HTTP content negotiation: picks the response format from an `Accept` header (or a
//! `format=` parameter) among the SPARQL results formats and the RDF formats a response
//! can take. Knows nothing of requests or the store.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// One media range of an `Accept` header with its quality.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    sub: String,
    q: f32,
}

/// The media ranges of an `Accept` header, best first (ties keep header order); a missing
/// or empty header accepts anything.
fn ranges(accept: Option<&str>) -> Vec<Range> {
    let mut out: Vec<Range> = accept
        .unwrap_or("")
        .split(',')
        .filter_map(|part| {
            let mut params = part.split(';');
            let media = params.next()?.trim().to_ascii_lowercase();
            let (kind, sub) = media.split_once('/')?;
            let mut q = 1.0f32;
            for p in params {
                if let Some((k, v)) = p.split_once('=') {
                    if k.trim().eq_ignore_ascii_case("q") {
                        q = v.trim().parse().unwrap_or(0.0);
                    }
                }
            }
            (q > 0.0).then(|| Range {
                kind: kind.trim().to_string(),
                sub: sub.trim().to_string(),
                q,
            })
        })
        .collect();
    if accept.is_none_or(|a| a.trim().is_empty()) {
        out.push(Range {
            kind: "*".into(),
            sub: "*".into(),
            q: 1.0,
        });
    }
    out.sort_by(|a, b| b.q.total_cmp(&a.q));
    out
}

/// Picks the first offer (a media type and its value; the first offer is the default)
/// that the header accepts best, or `None` when it accepts none (406).
fn pick<T: Copy>(accept: Option<&str>, offers: &[(&str, T)]) -> Option<T> {
    for r in ranges(accept) {
        for (media, value) in offers {
            let Some((kind, sub)) = media.split_once('/') else {
                continue;
            };
            let kind_ok = r.kind == "*" || r.kind == kind;
            let sub_ok = r.sub == "*" || r.sub == sub;
            if kind_ok && sub_ok {
                return Some(*value);
            }
        }
    }
    None
}

/// The SPARQL results formats, the default (JSON) first.
const RESULTS: &[(&str, QueryResultsFormat)] = &[
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
    ("application/json", QueryResultsFormat::Json),
    ("application/xml", QueryResultsFormat::Xml),
    ("text/xml", QueryResultsFormat::Xml),
    ("text/plain", QueryResultsFormat::Tsv),
];

const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: oxigraph::io::JsonLdProfileSet::empty(),
};

/// RDF formats for one graph, the default (Turtle) first.
const GRAPH: &[(&str, RdfFormat)] = &[
    ("text/turtle", RdfFormat::Turtle),
    ("application/n-triples", RdfFormat::NTriples),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("application/ld+json", JSON_LD),
    ("application/trig", RdfFormat::TriG),
    ("application/n-quads", RdfFormat::NQuads),
    ("text/n3", RdfFormat::N3),
    ("application/x-turtle", RdfFormat::Turtle),
    ("application/json", JSON_LD),
    ("text/plain", RdfFormat::NTriples),
];

/// RDF formats for a whole dataset (named graphs), the default (TriG) first.
const DATASET: &[(&str, RdfFormat)] = &[
    ("application/trig", RdfFormat::TriG),
    ("application/n-quads", RdfFormat::NQuads),
    ("application/ld+json", JSON_LD),
    ("application/json", JSON_LD),
    ("text/plain", RdfFormat::NQuads),
];

/// A `format=` parameter's value (a short name or a media type) as a media type; `json`
/// and `xml` name RDF formats when `rdf` (JSON-LD, RDF/XML), else SPARQL results formats.
pub fn format_param(value: &str, rdf: bool) -> String {
    let v = value.trim().to_ascii_lowercase();
    let media = match v.as_str() {
        "json" if rdf => "application/ld+json",
        "xml" if rdf => "application/rdf+xml",
        "json" | "srj" => "application/sparql-results+json",
        "xml" | "srx" => "application/sparql-results+xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "turtle" | "ttl" => "text/turtle",
        "ntriples" | "nt" | "n-triples" => "application/n-triples",
        "rdfxml" | "rdf" | "rdf/xml" | "rdf+xml" => "application/rdf+xml",
        "jsonld" | "json-ld" => "application/ld+json",
        "trig" => "application/trig",
        "nquads" | "nq" | "n-quads" => "application/n-quads",
        _ => return value.to_string(),
    };
    media.to_string()
}

/// What a request asks for: a `format=` parameter (as Fuseki and Virtuoso take it; tried
/// first, ignored when it names nothing usable) and the `Accept` header.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// The `format=` parameter.
    pub format: Option<String>,
    /// The `Accept` header.
    pub accept: Option<String>,
}

impl Wanted {
    /// The results format for SELECT/ASK answers.
    pub fn results(&self) -> Option<QueryResultsFormat> {
        self.format
            .as_deref()
            .and_then(|f| results_format(Some(&format_param(f, false))))
            .or_else(|| results_format(self.accept.as_deref()))
    }

    /// The RDF format for one graph.
    pub fn graph(&self) -> Option<RdfFormat> {
        self.format
            .as_deref()
            .and_then(|f| graph_format(Some(&format_param(f, true))))
            .or_else(|| graph_format(self.accept.as_deref()))
    }

    /// The RDF format for the whole dataset.
    pub fn dataset(&self) -> Option<RdfFormat> {
        self.format
            .as_deref()
            .and_then(|f| dataset_format(Some(&format_param(f, true))))
            .or_else(|| dataset_format(self.accept.as_deref()))
    }
}

/// The results format for SELECT/ASK answers.
pub fn results_format(accept: Option<&str>) -> Option<QueryResultsFormat> {
    pick(accept, RESULTS)
}

/// The RDF format for one graph (CONSTRUCT/DESCRIBE answers, one graph of the store).
pub fn graph_format(accept: Option<&str>) -> Option<RdfFormat> {
    pick(accept, GRAPH)
}

/// The RDF format for the whole dataset.
pub fn dataset_format(accept: Option<&str>) -> Option<RdfFormat> {
    pick(accept, DATASET)
}

/// The media types a 406 response lists as acceptable.
pub fn offered(graph: bool, dataset: bool) -> String {
    let list: Vec<&str> = if dataset {
        DATASET.iter().map(|(m, _)| *m).collect()
    } else if graph {
        GRAPH.iter().map(|(m, _)| *m).collect()
    } else {
        RESULTS.iter().map(|(m, _)| *m).collect()
    };
    list.join(", ")
}

/// The `Content-Type` value of a response in this results format.
pub fn results_media(f: QueryResultsFormat) -> String {
    with_charset(f.media_type())
}

/// The `Content-Type` value of a response in this RDF format.
pub fn rdf_media(f: RdfFormat) -> String {
    with_charset(f.media_type())
}

fn with_charset(media: &str) -> String {
    if media.starts_with("text/") && !media.contains("charset") {
        format!("{media}; charset=utf-8")
    } else {
        media.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_by_quality_and_wildcards() {
        assert_eq!(results_format(None), Some(QueryResultsFormat::Json));
        assert_eq!(results_format(Some("*/*")), Some(QueryResultsFormat::Json));
        assert_eq!(
            results_format(Some("text/csv")),
            Some(QueryResultsFormat::Csv)
        );
        assert_eq!(
            results_format(Some("text/csv;q=0.5, application/sparql-results+xml")),
            Some(QueryResultsFormat::Xml)
        );
        assert_eq!(
            results_format(Some("text/*")),
            Some(QueryResultsFormat::Csv)
        );
        assert_eq!(results_format(Some("image/png")), None);
        assert_eq!(results_format(Some("text/csv;q=0")), None);
        assert_eq!(
            graph_format(Some("text/html, */*;q=0.1")),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            graph_format(Some("application/n-triples")),
            Some(RdfFormat::NTriples)
        );
        assert_eq!(graph_format(Some("application/ld+json")), Some(JSON_LD));
        assert_eq!(dataset_format(Some("text/turtle")), None);
        assert_eq!(dataset_format(None), Some(RdfFormat::TriG));
    }

    #[test]
    fn format_parameter() {
        assert_eq!(format_param("csv", false), "text/csv");
        assert_eq!(format_param("text/turtle", false), "text/turtle");
        let w = |f: &str, a: &str| Wanted {
            format: Some(f.into()),
            accept: Some(a.into()),
        };
        assert_eq!(w("tsv", "*/*").results(), Some(QueryResultsFormat::Tsv));
        // SPARQLWrapper sends format=xml with Accept: application/rdf+xml for CONSTRUCT.
        assert_eq!(
            w("xml", "application/rdf+xml").graph(),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(w("json", "*/*").graph(), Some(JSON_LD));
        assert_eq!(w("xml", "*/*").results(), Some(QueryResultsFormat::Xml));
        // A useless parameter leaves the choice to Accept.
        assert_eq!(
            w("bogus", "text/csv").results(),
            Some(QueryResultsFormat::Csv)
        );
        assert_eq!(
            w("csv", "application/n-triples").graph(),
            Some(RdfFormat::NTriples)
        );
    }
}
