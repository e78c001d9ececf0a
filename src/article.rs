//! Reading inputs into [`Article`]s: `.txt` (first non-empty line = headline), `.jsonl`
//! (one article per line), `.html` pages (main text and metadata, see [`crate::html`]) and
//! `-` for standard input; the format of other files is sniffed from their content. Bytes
//! become text through [`crate::decode`] (a UTF-8 BOM dropped, invalid UTF-8 decoded lossily
//! with a warning, empty and binary inputs rejected); otherwise the text is kept as it is
//! (CRLF, control characters), so that mention offsets count in exactly the published text.
//! Also finds publication dates and where the article body ends (page chrome such as teaser
//! blocks is left out). Never looks for entities.

use crate::dates;
use crate::decode::{self, DecodeError};
use crate::html;
use crate::model::Article;
use crate::text::{is_mostly_upper, lines};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The input name that stands for standard input.
pub const STDIN: &str = "-";

/// The article id of a text or HTML page read from standard input.
pub const STDIN_ID: &str = "stdin";

/// The default limit on one article's input (a text file, an HTML page, a JSONL record).
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 8 << 20;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not text.
    #[error("{path}: {source}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        source: DecodeError,
    },
    /// One article's input is larger than the limit.
    #[error("{path}: too large for one article ({size} bytes; the limit is {limit} bytes, see --max-article-mb)")]
    TooLarge {
        /// The file (`path:line` for a JSONL record).
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// An HTML page gave no article.
    #[error("{path}: {source}")]
    Html {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        source: html::PageError,
    },
    /// A JSONL line is not a valid article record.
    #[error("{path}:{line}: bad JSONL record: {message}")]
    Jsonl {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Plain text: one article, first non-empty line = headline.
    Text,
    /// One JSON article record per line.
    Jsonl,
    /// An HTML page.
    Html,
}

impl InputFormat {
    /// The format of a file name's extension, when it has a known one.
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Self::Text),
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "html" | "htm" | "xhtml" => Some(Self::Html),
            _ => None,
        }
    }

    /// The format of a text by its content: a page starting with a doctype or `<html>` is
    /// HTML, a text starting with `{` is JSONL, anything else plain text.
    pub fn sniff(text: &str) -> Self {
        if html::looks_like_html(text) {
            Self::Html
        } else if text.trim_start().starts_with('{') {
            Self::Jsonl
        } else {
            Self::Text
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// The largest input for one article, in bytes.
    pub max_article_bytes: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
        }
    }
}

/// What one input gave: its articles, the records that failed (JSONL), and warnings about
/// repairs (invalid UTF-8).
#[derive(Debug, Default)]
pub struct Loaded {
    /// The articles, in input order.
    pub articles: Vec<Article>,
    /// Records that could not be read; the others are still built.
    pub failed: Vec<ArticleError>,
    /// Repairs worth telling, each naming the input.
    pub warnings: Vec<String>,
}

/// Lists the article files under `paths` (files as given; directories recursively, files
/// with a known extension only; `-` as is), sorted and without duplicates.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ArticleError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ArticleError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ArticleError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for e in entries {
        let e = e.map_err(|source| ArticleError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if InputFormat::of_path(&p).is_some() {
            out.push(p);
        }
    }
    Ok(())
}

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// Reads one input with the default options into its articles; the first bad record of a
/// JSONL file fails it (see [`load_with`] for the records that could be read, and warnings).
pub fn load(path: &Path) -> Result<Vec<Article>, ArticleError> {
    let mut l = load_with(path, &LoadOptions::default())?;
    if l.failed.is_empty() {
        Ok(l.articles)
    } else {
        Err(l.failed.remove(0))
    }
}

/// Reads one input (a file, or standard input for `-`) into its articles.
pub fn load_with(path: &Path, opts: &LoadOptions) -> Result<Loaded, ArticleError> {
    if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|source| ArticleError::Read {
                path: PathBuf::from("<stdin>"),
                source,
            })?;
        return load_bytes(Path::new("<stdin>"), STDIN_ID, None, &bytes, opts);
    }
    let known = InputFormat::of_path(path);
    let read_err = |source| ArticleError::Read {
        path: path.to_path_buf(),
        source,
    };
    // One-article files over the limit are refused before they are read.
    if matches!(known, Some(InputFormat::Text | InputFormat::Html)) {
        let size = std::fs::metadata(path).map_err(read_err)?.len();
        if size > opts.max_article_bytes as u64 {
            return Err(ArticleError::TooLarge {
                path: path.to_path_buf(),
                size,
                limit: opts.max_article_bytes,
            });
        }
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    load_bytes(path, &stem, known, &bytes, opts)
}

/// Reads the bytes of one input named `path` (for messages); `stem` is the article id of a
/// one-article input; `format` is sniffed when not given (a `.txt` holding an HTML page is
/// read as HTML).
pub fn load_bytes(
    path: &Path,
    stem: &str,
    format: Option<InputFormat>,
    bytes: &[u8],
    opts: &LoadOptions,
) -> Result<Loaded, ArticleError> {
    let decoded = decode::decode(bytes).map_err(|source| ArticleError::Decode {
        path: path.to_path_buf(),
        source,
    })?;
    let warnings: Vec<String> = decoded
        .warning()
        .map(|w| format!("{}: {w}", path.display()))
        .into_iter()
        .collect();
    let text = decoded.text;
    let format = match format {
        Some(InputFormat::Text) if html::looks_like_html(&text) => InputFormat::Html,
        Some(f) => f,
        None => InputFormat::sniff(&text),
    };
    let too_large = |size: usize| ArticleError::TooLarge {
        path: path.to_path_buf(),
        size: size as u64,
        limit: opts.max_article_bytes,
    };
    let mut loaded = match format {
        InputFormat::Jsonl => load_jsonl(path, &text, opts),
        InputFormat::Text => {
            if bytes.len() > opts.max_article_bytes {
                return Err(too_large(bytes.len()));
            }
            let source = path.display().to_string();
            Loaded {
                articles: vec![from_text(stem.to_string(), text, None, None, None, source)],
                ..Loaded::default()
            }
        }
        InputFormat::Html => {
            if bytes.len() > opts.max_article_bytes {
                return Err(too_large(bytes.len()));
            }
            let page = html::extract(&text).map_err(|source| ArticleError::Html {
                path: path.to_path_buf(),
                source,
            })?;
            let source = path.display().to_string();
            Loaded {
                articles: vec![from_text(
                    stem.to_string(),
                    page.text,
                    page.title,
                    page.published,
                    page.url,
                    source,
                )],
                ..Loaded::default()
            }
        }
    };
    loaded.warnings.splice(0..0, warnings);
    Ok(loaded)
}

#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    url: Option<String>,
    body: String,
}

/// One article per non-blank line; records are read in parallel and kept in line order.
/// A bad record is reported and skipped; the others are read.
fn load_jsonl(path: &Path, text: &str, opts: &LoadOptions) -> Loaded {
    let lines: Vec<(usize, &str)> = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let results: Vec<Result<Article, ArticleError>> = lines
        .par_iter()
        .map(|&(i, line)| jsonl_record(path, i + 1, line, opts))
        .collect();
    let mut out = Loaded::default();
    for r in results {
        match r {
            Ok(a) => out.articles.push(a),
            Err(e) => out.failed.push(e),
        }
    }
    out
}

fn jsonl_record(
    path: &Path,
    line_no: usize,
    line: &str,
    opts: &LoadOptions,
) -> Result<Article, ArticleError> {
    let bad = |message: String| ArticleError::Jsonl {
        path: path.to_path_buf(),
        line: line_no,
        message,
    };
    if line.len() > opts.max_article_bytes {
        return Err(ArticleError::TooLarge {
            path: PathBuf::from(format!("{}:{line_no}", path.display())),
            size: line.len() as u64,
            limit: opts.max_article_bytes,
        });
    }
    let r: Record =
        serde_json::from_str(line.trim_end_matches('\r')).map_err(|e| bad(e.to_string()))?;
    if r.id.trim().is_empty() {
        return Err(bad("empty id".into()));
    }
    if r.body.trim().is_empty() {
        return Err(bad("empty body".into()));
    }
    let published = match r.published.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(html::parse_date(p).ok_or_else(|| bad(format!("unreadable date {p:?}")))?),
    };
    Ok(from_text(
        r.id,
        r.body,
        r.title,
        published,
        r.url,
        format!("{}:{line_no}", path.display()),
    ))
}

/// Builds an article from its text: headline, publication date and body end are found in
/// the text unless given.
pub fn from_text(
    id: String,
    text: String,
    title: Option<String>,
    published: Option<chrono::NaiveDate>,
    url: Option<String>,
    source: String,
) -> Article {
    let title = title.unwrap_or_else(|| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
            .to_string()
    });
    let published = published.or_else(|| dates::publication_date(&text));
    let body = body_range(&text);
    Article {
        id,
        title,
        published,
        url,
        text,
        body,
        source,
    }
}

/// Where the article proper ends. Page chrome after an article is a run of short lines
/// without sentence punctuation (section names, teaser headlines), date-only lines and lines
/// repeated elsewhere, with at most single prose lines (teaser blurbs) between them. Walking
/// back from the end, the run stops at two prose lines in a row; it is cut when it holds at
/// least three chrome lines. A copyright line also ends the body.
pub fn body_range(text: &str) -> Range<usize> {
    let all = lines(text, 0..text.len());
    let ls: Vec<Range<usize>> = all
        .into_iter()
        .filter(|r| !text[r.clone()].trim().is_empty())
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in &ls {
        *counts.entry(text[r.clone()].trim()).or_default() += 1;
    }
    let chrome: Vec<bool> = ls
        .iter()
        .map(|r| {
            let l = text[r.clone()].trim();
            counts.get(l).copied().unwrap_or(0) > 1 || is_chrome_line(l)
        })
        .collect();
    // Teaser headlines: unpunctuated lines of up to 14 words continue a chrome run.
    let weak: Vec<bool> = ls
        .iter()
        .map(|r| {
            let l = text[r.clone()].trim();
            // "Published in Dawn, …" signs the article off: it belongs to it.
            l.split_whitespace().count() <= 14
                && !l.ends_with(['.', '!', '?', '"', '”', ':', ';'])
                && !l.to_lowercase().starts_with("published")
        })
        .collect();
    let mut end = text.len();
    // A copyright notice ends the body wherever it is (after the headline).
    if let Some(r) = ls
        .iter()
        .skip(1)
        .find(|r| is_copyright(text[(*r).clone()].trim()))
    {
        end = r.start;
    }
    // Wire sign-offs and credits at the end: "--IANS", "(Reporting by …)", "… contributed".
    while let Some(r) = ls.iter().skip(1).rfind(|r| r.start < end) {
        if is_signoff(text[r.clone()].trim()) {
            end = r.start;
        } else {
            break;
        }
    }
    // The trailing chrome run, walking back from the last line still in the body.
    let Some(last) = ls.iter().rposition(|r| r.start < end) else {
        return 0..text[..end].trim_end().len();
    };
    let mut start_idx = None;
    let mut n_chrome = 0;
    let mut i = last + 1;
    while i > 1 {
        i -= 1;
        let continues = i == last || start_idx == Some(i + 1);
        if chrome[i] || (weak[i] && continues) {
            // Chrome, or a teaser headline continuing the run.
            n_chrome += 1;
            start_idx = Some(i);
        } else if continues && chrome[i - 1] {
            // A teaser blurb right after a chrome line.
            start_idx = Some(i);
        } else {
            break;
        }
    }
    if let Some(s) = start_idx {
        if n_chrome >= 3 && s > 1 {
            end = end.min(ls[s].start);
        }
    }
    let trimmed = text[..end].trim_end().len();
    0..trimmed
}

/// A short line: unpunctuated, a date alone ("01 Dec, 2024."), or a few capitals.
fn is_chrome_line(l: &str) -> bool {
    let words = l.split_whitespace().count();
    if words > 5 {
        return false;
    }
    let ends_sentence = l.ends_with(['.', '!', '?', '"', '”', ':', ';']);
    // Dates are looked for last: most lines are long sentences.
    !ends_sentence
        || (is_mostly_upper(l) && words <= 3)
        || !dates::find_dates(l, 0..l.len()).is_empty()
}

fn is_signoff(l: &str) -> bool {
    let lower = l.to_lowercase();
    let words = l.split_whitespace().count();
    (l.starts_with("--") && words <= 4)
        || (l.starts_with('(')
            && (lower.contains("reporting by")
                || lower.contains("editing by")
                || lower.contains("writing by")))
        || lower.starts_with("reporting by")
        || lower.starts_with("additional reporting")
        || (lower.contains("contributed") && lower.contains("report") && words <= 20)
        || lower.starts_with("source:")
        || (words == 1 && l.contains('/') && l.chars().all(|c| c.is_ascii_lowercase() || c == '/'))
}

fn is_copyright(l: &str) -> bool {
    let lower = l.to_lowercase();
    l.starts_with('©') || lower.starts_with("copyright") || lower.contains("all rights reserved")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_lines_are_short_unpunctuated_dated_or_capitals() {
        assert!(is_chrome_line("Teaser one"));
        assert!(is_chrome_line("01 Dec, 2024."));
        assert!(is_chrome_line("Updated on May 3, 2020."));
        assert!(is_chrome_line("BREAKING NEWS."));
        assert!(!is_chrome_line("The talks ended."));
        assert!(!is_chrome_line(
            "They met on 3 May 2020 in Kabul for talks."
        ));
        assert!(!is_chrome_line("Six words without any full stop here"));
    }

    #[test]
    fn teaser_blocks_after_the_article_are_chrome() {
        let text = "Headline here\n\nFirst paragraph of the story is long enough.\n\nSecond paragraph says more things here.\n\nPublished in Daily, May 3rd, 2020\n\nSection\n\nOther\n\nTeaser one\n01 Dec, 2024\n\nTeaser one\n\nA blurb that reads like a sentence and ends.\nTeaser two\n02 Dec, 2024\n\nTeaser two\n\nAnother blurb...";
        let b = body_range(text);
        assert!(text[b].ends_with("Published in Daily, May 3rd, 2020"));
    }

    #[test]
    fn plain_articles_keep_everything() {
        let text = "Headline\n\nOne sentence here. Another one.\nShort sub head\n\nLast paragraph ends here.";
        assert_eq!(body_range(text), 0..text.len());
    }

    #[test]
    fn related_headlines_and_signoffs_are_chrome() {
        let text = "Headline\n\nBody text is here. It goes on.\n\nMore body text ends here.\n\nSource: Agencies\n\nRead more\n\nFirst teaser headline about something else\nSecond teaser headline about other things\nThird teaser about a city\n\n© 2025 Outlet";
        assert!(text[body_range(text)].ends_with("More body text ends here."));
        let text = "Headline\n\nBody text is here.\n\n--IANS\n\nabc/xyz";
        assert!(text[body_range(text)].ends_with("Body text is here."));
        let text = "Headline\n\nBody text is here.\n\n(Reporting by A B; Editing by C D)";
        assert!(text[body_range(text)].ends_with("Body text is here."));
    }

    #[test]
    fn copyright_ends_the_body() {
        let text = "Headline\n\nBody text is here.\n\n© 2024 Some Outlet. All rights reserved.";
        assert!(text[body_range(text)].ends_with("Body text is here."));
    }

    #[test]
    fn headline_and_date() {
        let a = from_text(
            "a".into(),
            "\n  My Headline \nPublished September 12, 2021\nBody.".into(),
            None,
            None,
            None,
            "a.txt".into(),
        );
        assert_eq!(a.title, "My Headline");
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2021-09-12")
        );
    }
}
