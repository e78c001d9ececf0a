//! Reading input files into [`Article`]s: `.txt` (first non-empty line = headline) and
//! `.jsonl` (one article per line), publication dates, and where the article body ends
//! (page chrome such as teaser blocks is left out). Never looks for entities.

use crate::dates;
use crate::model::Article;
use crate::text::{is_mostly_upper, lines};
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

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
    /// The file is not UTF-8 text.
    #[error("{path}: not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The first bad byte.
        offset: usize,
    },
    /// The file holds no text.
    #[error("{path}: empty article")]
    Empty {
        /// The file.
        path: PathBuf,
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
    /// The file's extension is not one we read.
    #[error("{path}: unsupported input (expected .txt or .jsonl)")]
    Unsupported {
        /// The file.
        path: PathBuf,
    },
}

/// Lists the article files under `paths` (files as given; directories recursively, `.txt`
/// and `.jsonl` only), sorted and without duplicates.
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
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("txt" | "jsonl")
        ) {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads one input file into its articles (one for `.txt`, one per line for `.jsonl`).
pub fn load(path: &Path) -> Result<Vec<Article>, ArticleError> {
    let bytes = std::fs::read(path).map_err(|source| ArticleError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ArticleError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match path.extension().and_then(|x| x.to_str()) {
        Some("jsonl") => load_jsonl(path, &text),
        Some("txt") | None => {
            if text.trim().is_empty() {
                return Err(ArticleError::Empty {
                    path: path.to_path_buf(),
                });
            }
            Ok(vec![from_text(
                stem,
                text,
                None,
                None,
                None,
                path.display().to_string(),
            )])
        }
        Some(_) => Err(ArticleError::Unsupported {
            path: path.to_path_buf(),
        }),
    }
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

fn load_jsonl(path: &Path, text: &str) -> Result<Vec<Article>, ArticleError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| ArticleError::Jsonl {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        let r: Record = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        if r.id.trim().is_empty() {
            return Err(bad("empty id".into()));
        }
        let published = match r.published.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(
                dates::find_dates(p, 0..p.len())
                    .into_iter()
                    .find_map(|d| match d.value {
                        dates::DateValue::Full(x) => Some(x),
                        _ => None,
                    })
                    .ok_or_else(|| bad(format!("unreadable date {p:?}")))?,
            ),
        };
        out.push(from_text(
            r.id,
            r.body,
            r.title,
            published,
            r.url,
            format!("{}:{}", path.display(), i + 1),
        ));
    }
    Ok(out)
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

fn is_chrome_line(l: &str) -> bool {
    let words = l.split_whitespace().count();
    let ends_sentence = l.ends_with(['.', '!', '?', '"', '”', ':', ';']);
    let has_date = !dates::find_dates(l, 0..l.len()).is_empty();
    let date_only = has_date && words <= 5;
    (words <= 5 && !ends_sentence) || date_only || (is_mostly_upper(l) && words <= 3)
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
