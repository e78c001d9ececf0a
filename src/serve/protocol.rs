//! The SPARQL 1.1 Protocol's request side: what a `/query`, `/update` or `/store` request
//! asks for, read from its URL parameters, form body or direct body. Knows nothing of the
//! store or of response formats.

/// A request that cannot be served, with its HTTP status and a message for the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct HttpError {
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, for the client.
    pub message: String,
}

impl HttpError {
    /// An error with this status and message.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

/// The `name=value` parameters of a URL query string or a form body, in order.
pub type Params = Vec<(String, String)>;

/// Decodes `application/x-www-form-urlencoded` text (a URL's query string or a form body).
pub fn parse_params(text: &[u8]) -> Params {
    form_urlencoded::parse(text).into_owned().collect()
}

/// The value of the first parameter named `name`.
pub fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Every value of the parameters named `name`.
pub fn params_named(params: &Params, name: &str) -> Vec<String> {
    params
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The media type of a `Content-Type` value, lowercase, without parameters.
pub fn media_type(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A query or update operation, with the dataset the protocol's parameters give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The query or update text.
    pub text: String,
    /// `default-graph-uri` (queries) or `using-graph-uri` (updates).
    pub default_graphs: Vec<String>,
    /// `named-graph-uri` (queries) or `using-named-graph-uri` (updates).
    pub named_graphs: Vec<String>,
}

/// Which kind of operation a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SPARQL query: parameter `query`, direct type `application/sparql-query`.
    Query,
    /// SPARQL update: parameter `update`, direct type `application/sparql-update`.
    Update,
}

impl Kind {
    fn param(self) -> &'static str {
        match self {
            Kind::Query => "query",
            Kind::Update => "update",
        }
    }

    fn direct_type(self) -> &'static str {
        match self {
            Kind::Query => "application/sparql-query",
            Kind::Update => "application/sparql-update",
        }
    }

    fn graph_params(self) -> (&'static str, &'static str) {
        match self {
            Kind::Query => ("default-graph-uri", "named-graph-uri"),
            Kind::Update => ("using-graph-uri", "using-named-graph-uri"),
        }
    }
}

/// Reads an operation from a request: `GET` with URL parameters (queries only), `POST`
/// with a form body, or `POST` with a direct body (graph parameters in the URL).
pub fn operation(
    kind: Kind,
    method: &str,
    url_params: &Params,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Operation, HttpError> {
    let (default_name, named_name) = kind.graph_params();
    let from = |params: &Params, text: String| Operation {
        text,
        default_graphs: params_named(params, default_name),
        named_graphs: params_named(params, named_name),
    };
    match method {
        "GET" if kind == Kind::Query => {
            let text = param(url_params, kind.param()).ok_or_else(|| {
                HttpError::new(400, "missing the 'query' parameter (GET /query?query=...)")
            })?;
            Ok(from(url_params, text.to_string()))
        }
        "POST" => {
            let media = media_type(content_type);
            if media == "application/x-www-form-urlencoded" {
                let form = parse_params(body);
                let text = param(&form, kind.param()).ok_or_else(|| {
                    HttpError::new(
                        400,
                        format!("missing the '{}' field in the form body", kind.param()),
                    )
                })?;
                Ok(from(&form, text.to_string()))
            } else if media == kind.direct_type() {
                let text = std::str::from_utf8(body)
                    .map_err(|_| HttpError::new(400, "the request body is not UTF-8"))?;
                Ok(from(url_params, text.to_string()))
            } else {
                Err(HttpError::new(
                    415,
                    format!(
                        "unsupported Content-Type {:?}: send {} or application/x-www-form-urlencoded",
                        content_type.unwrap_or(""),
                        kind.direct_type()
                    ),
                ))
            }
        }
        _ => Err(HttpError::new(
            405,
            format!("method {method} is not allowed here"),
        )),
    }
}

/// What a Graph Store Protocol request names: `?default`, `?graph=IRI`, or neither (the
/// whole dataset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphTarget {
    /// The whole dataset.
    Dataset,
    /// The default graph.
    Default,
    /// A named graph.
    Named(String),
}

/// Reads the graph a `/store` request names.
pub fn graph_target(url_params: &Params) -> Result<GraphTarget, HttpError> {
    let default = url_params.iter().any(|(k, _)| k == "default");
    let graph = param(url_params, "graph");
    match (default, graph) {
        (true, Some(_)) => Err(HttpError::new(
            400,
            "give either 'default' or 'graph=IRI', not both",
        )),
        (true, None) => Ok(GraphTarget::Default),
        (false, Some(g)) => Ok(GraphTarget::Named(g.to_string())),
        (false, None) => Ok(GraphTarget::Dataset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_form_and_direct() -> Result<(), HttpError> {
        let url = parse_params(b"query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fe%2Fg");
        let op = operation(Kind::Query, "GET", &url, None, b"")?;
        assert_eq!(op.text, "ASK {}");
        assert_eq!(op.default_graphs, vec!["http://e/g".to_string()]);
        let op = operation(
            Kind::Query,
            "POST",
            &Vec::new(),
            Some("application/x-www-form-urlencoded; charset=UTF-8"),
            b"query=SELECT+*+WHERE+%7B%7D&named-graph-uri=http%3A%2F%2Fe%2Fn",
        )?;
        assert_eq!(op.text, "SELECT * WHERE {}");
        assert_eq!(op.named_graphs, vec!["http://e/n".to_string()]);
        let op = operation(
            Kind::Update,
            "POST",
            &Vec::new(),
            Some("application/sparql-update"),
            b"CLEAR ALL",
        )?;
        assert_eq!(op.text, "CLEAR ALL");
        Ok(())
    }

    #[test]
    fn refusals() {
        let none = Vec::new();
        let status = |r: Result<Operation, HttpError>| r.err().map(|e| e.status);
        assert_eq!(
            status(operation(Kind::Query, "GET", &none, None, b"")),
            Some(400)
        );
        assert_eq!(
            status(operation(Kind::Update, "GET", &none, None, b"")),
            Some(405)
        );
        assert_eq!(
            status(operation(
                Kind::Query,
                "POST",
                &none,
                Some("text/plain"),
                b"ASK {}"
            )),
            Some(415)
        );
        assert_eq!(
            status(operation(
                Kind::Query,
                "POST",
                &none,
                Some("application/sparql-query"),
                &[0xff, 0xfe]
            )),
            Some(400)
        );
    }

    #[test]
    fn graph_targets() {
        assert_eq!(graph_target(&parse_params(b"")), Ok(GraphTarget::Dataset));
        assert_eq!(
            graph_target(&parse_params(b"default")),
            Ok(GraphTarget::Default)
        );
        assert_eq!(
            graph_target(&parse_params(b"graph=http%3A%2F%2Fe%2Fg")),
            Ok(GraphTarget::Named("http://e/g".into()))
        );
        assert!(graph_target(&parse_params(b"default&graph=x")).is_err());
    }
}
