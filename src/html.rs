//! HTML pages → an article's plain text and metadata. The main text is found on the parsed
//! DOM (`scraper`/html5ever): scripts, styles, navigation, headers, footers, asides, forms
//! and elements whose class or id says they are chrome (menus, teasers, share bars, related
//! links, comments) are dropped; the article region is the page's `articleBody`,
//! `<article>` or `<main>`, failing those the element whose paragraphs hold the most text
//! (readability-style scoring); its blocks become paragraphs separated by blank lines.
//! Headline, publication date and URL come from the page's metadata where present
//! (`og:title`, `article:published_time`, JSON-LD, `<time datetime>`, `<link
//! rel=canonical>`, `og:url`). Knows nothing of entities.

use crate::dates;
use chrono::NaiveDate;
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use regex::Regex;
use scraper::{Html, Node, Selector};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// What a page says: its main text and metadata.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// The headline (first line) and the main text's paragraphs, separated by blank lines.
    pub text: String,
    /// The headline, from the metadata or the first `<h1>`.
    pub title: Option<String>,
    /// The publication date.
    pub published: Option<NaiveDate>,
    /// The canonical URL.
    pub url: Option<String>,
}

/// Whether `text` looks like an HTML page (a doctype or an `<html>` tag first).
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// Nothing but chrome, scripts or markup.
    #[error("no article text found in the HTML page")]
    NoText,
    /// Nesting too deep to parse in reasonable time (HTML parsing is quadratic in depth).
    #[error("HTML nested too deeply (about {0} open elements; the limit is {MAX_DEPTH})")]
    TooDeep(usize),
}

/// The deepest element nesting read.
pub const MAX_DEPTH: usize = 4096;

/// Reads a page into its main text and metadata.
pub fn extract(html: &str) -> Result<Page, PageError> {
    let depth = nesting_estimate(html);
    if depth > MAX_DEPTH {
        return Err(PageError::TooDeep(depth));
    }
    let doc = Html::parse_document(html);
    let meta = Metadata::read(&doc);
    let blocks = blocks(&doc);
    let region = region(&doc, &blocks);
    let title = meta.title.clone().or_else(|| first_h1(&doc));
    let mut paras: Vec<&str> = Vec::new();
    for b in &blocks {
        if let Some(r) = region {
            if !b.ancestors.contains(&r) {
                continue;
            }
        }
        if b.is_chrome() || title.as_deref() == Some(b.text.as_str()) {
            continue;
        }
        if paras.last() != Some(&b.text.as_str()) {
            paras.push(&b.text);
        }
    }
    if paras.is_empty() {
        return Err(PageError::NoText);
    }
    let mut text = String::new();
    if let Some(t) = &title {
        text.push_str(t);
        text.push_str("\n\n");
    }
    text.push_str(&paras.join("\n\n"));
    Ok(Page {
        text,
        title,
        published: meta.published,
        url: meta.url,
    })
}

/// The deepest nesting of elements, estimated from the tags alone: void elements and
/// elements whose end tag is commonly left out (`p`, `li`, table cells…) do not count.
fn nesting_estimate(html: &str) -> usize {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "tbody", "thead",
        "colgroup", "rt", "rp", "optgroup", "param", "keygen",
    ];
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    for i in memchr::memchr_iter(b'<', b) {
        let rest = &b[i + 1..];
        let (closing, name_start) = match rest.first() {
            Some(b'/') => (true, 1),
            Some(c) if c.is_ascii_alphabetic() => (false, 0),
            _ => continue,
        };
        let name: Vec<u8> = rest[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect();
        let Ok(name) = std::str::from_utf8(&name) else {
            continue;
        };
        if UNCOUNTED.contains(&name) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let tag_end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
            if tag_end > 0 && rest[tag_end - 1] == b'/' {
                continue;
            }
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// Metadata of a page.
#[derive(Debug, Default)]
struct Metadata {
    title: Option<String>,
    published: Option<NaiveDate>,
    url: Option<String>,
}

fn selector(s: &'static str) -> Option<Selector> {
    Selector::parse(s).ok()
}

/// The first non-empty value of an attribute over the elements matching `sel`.
fn attr_of(doc: &Html, sel: &'static str, attr: &str) -> Option<String> {
    let s = selector(sel)?;
    doc.select(&s)
        .filter_map(|e| e.value().attr(attr))
        .map(clean)
        .find(|v| !v.is_empty())
}

impl Metadata {
    fn read(doc: &Html) -> Self {
        let ld = json_ld(doc);
        let title = attr_of(doc, r#"meta[property="og:title"]"#, "content")
            .or_else(|| attr_of(doc, r#"meta[name="twitter:title"]"#, "content"))
            .or_else(|| ld.get("headline").cloned())
            .or_else(|| {
                let s = selector("title")?;
                doc.select(&s)
                    .map(|e| clean(&e.text().collect::<String>()))
                    .find(|t| !t.is_empty())
            })
            .filter(|t| !t.is_empty());
        let date_sources = [
            attr_of(doc, r#"meta[property="article:published_time"]"#, "content"),
            attr_of(doc, r#"meta[itemprop="datePublished"]"#, "content"),
            attr_of(
                doc,
                r#"meta[name="date"], meta[name="pubdate"], meta[name="publishdate"], meta[name="DC.date.issued"], meta[name="dcterms.created"], meta[name="parsely-pub-date"]"#,
                "content",
            ),
            ld.get("datePublished").cloned(),
            attr_of(
                doc,
                "time[itemprop=datePublished], time[pubdate]",
                "datetime",
            ),
            attr_of(doc, "time[datetime]", "datetime"),
        ];
        let published = date_sources.iter().flatten().find_map(|s| parse_date(s));
        let url = attr_of(doc, r#"link[rel="canonical"]"#, "href")
            .or_else(|| attr_of(doc, r#"meta[property="og:url"]"#, "content"))
            .or_else(|| ld.get("url").cloned())
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
        Self {
            title,
            published,
            url,
        }
    }
}

/// The first `headline`, `datePublished` and `url` strings in the page's JSON-LD blocks.
fn json_ld(doc: &Html) -> HashMap<&'static str, String> {
    let mut found = HashMap::new();
    let Some(s) = selector(r#"script[type="application/ld+json"]"#) else {
        return found;
    };
    for script in doc.select(&s) {
        let raw: String = script.text().collect();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.trim()) else {
            continue;
        };
        let mut stack = vec![&v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(m) => {
                    for key in ["headline", "datePublished", "url"] {
                        if let Some(serde_json::Value::String(s)) = m.get(key) {
                            found.entry(key).or_insert_with(|| clean(s));
                        }
                    }
                    stack.extend(m.values().rev());
                }
                serde_json::Value::Array(a) => stack.extend(a.iter().rev()),
                _ => {}
            }
        }
    }
    found
}

/// An ISO date or date-time ("2021-09-12T08:30:00+05:00"), or a date written out.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(d) = s
        .get(..10)
        .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
    {
        return Some(d);
    }
    dates::find_dates(s, 0..s.len())
        .into_iter()
        .find_map(|d| match d.value {
            dates::DateValue::Full(x) => Some(x),
            _ => None,
        })
}

fn first_h1(doc: &Html) -> Option<String> {
    let s = selector("h1")?;
    doc.select(&s)
        .map(|e| clean(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// Collapses white space runs to single spaces and trims.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "iframe", "svg", "select", "menu", "object", "embed", "canvas", "dialog", "head",
    "figure", "video", "audio", "map",
];

/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "figcaption",
    "address",
    "hr",
    "br",
    "body",
    "center",
    "details",
    "summary",
];

/// Class or id words that mark page chrome.
fn chrome_marker() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(^|[\s_-])(nav|navbar|navigation|menu|footer|header|masthead|sidebar|side-bar|related|recommended|recommendations|promo|teaser|teasers|share|sharing|social|comment|comments|newsletter|subscribe|subscription|cookie|cookies|banner|advert|advertisement|ad|ads|ad-slot|breadcrumb|breadcrumbs|popup|modal|outbrain|taboola|most-read|mostread|trending|widget|toolbar|byline-share|skip-link|hidden)($|[\s_-])",
        )
        .ok()
    })
    .as_ref()
}

fn is_dropped(e: &scraper::node::Element) -> bool {
    let name = e.name();
    if DROPPED.contains(&name) {
        return true;
    }
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.attr("style")
            .is_some_and(|s| s.replace(' ', "").contains("display:none"))
    {
        return true;
    }
    if matches!(name, "html" | "body" | "article" | "main") {
        return false;
    }
    let marks = [e.attr("class"), e.attr("id"), e.attr("role")];
    let Some(re) = chrome_marker() else {
        return false;
    };
    marks.iter().flatten().any(|m| {
        re.is_match(m)
            && !m.to_ascii_lowercase().contains("article")
            && !m.to_ascii_lowercase().contains("story")
    }) || matches!(
        e.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "complementary")
    )
}

/// A run of text between block boundaries.
#[derive(Debug)]
struct Block {
    text: String,
    /// The innermost block element's tag.
    tag: String,
    /// Chars inside links.
    link_chars: usize,
    /// Element ancestors, innermost first.
    ancestors: Vec<NodeId>,
}

impl Block {
    fn chars(&self) -> usize {
        self.text.chars().count()
    }

    fn link_density(&self) -> f64 {
        self.link_chars as f64 / self.chars().max(1) as f64
    }

    fn is_heading(&self) -> bool {
        matches!(self.tag.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
    }

    /// Link lists and one-word labels ("Advertisement", "Share").
    fn is_chrome(&self) -> bool {
        const LABELS: &[&str] = &[
            "advertisement",
            "advert",
            "share",
            "share this",
            "share this article",
            "read more",
            "related",
            "related articles",
            "subscribe",
            "skip to content",
            "skip to main content",
        ];
        (self.link_density() > 0.5 && !self.is_heading())
            || LABELS.contains(&self.text.to_lowercase().trim_end_matches(':'))
    }

    /// Counts as paragraph text for choosing the region.
    fn is_prose(&self) -> bool {
        self.chars() >= 40 && self.link_density() < 0.33 && !self.is_heading()
    }
}

/// Walks the DOM (iteratively: deep pages cannot overflow the stack) into text blocks.
fn blocks(doc: &Html) -> Vec<Block> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut link_chars = 0usize;
    let mut skip = 0usize;
    let mut in_link = 0usize;
    // Open block elements: (id, tag).
    let mut open: Vec<(NodeId, String)> = Vec::new();
    let mut flush = |buf: &mut String, link_chars: &mut usize, open: &[(NodeId, String)]| {
        let text = clean(buf);
        buf.clear();
        if !text.is_empty() {
            let (tag, ancestors) = match open.last() {
                Some((_, t)) => (t.clone(), open.iter().rev().map(|(i, _)| *i).collect()),
                None => (String::new(), Vec::new()),
            };
            out.push(Block {
                text,
                tag,
                link_chars: *link_chars,
                ancestors,
            });
        }
        *link_chars = 0;
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    if skip > 0 || is_dropped(e) {
                        skip += 1;
                        continue;
                    }
                    let name = e.name();
                    if BLOCKS.contains(&name) {
                        flush(&mut buf, &mut link_chars, &open);
                        open.push((node.id(), name.to_string()));
                    } else if name == "a" {
                        in_link += 1;
                    } else if name == "img" {
                        // Inline images separate words.
                        buf.push(' ');
                    }
                }
                Node::Text(t) if skip == 0 => {
                    buf.push_str(t);
                    if in_link > 0 {
                        link_chars += t.trim().chars().count();
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let name = e.name();
                    if BLOCKS.contains(&name) {
                        flush(&mut buf, &mut link_chars, &open);
                        open.pop();
                    } else if name == "a" {
                        in_link = in_link.saturating_sub(1);
                    }
                }
            }
        }
    }
    flush(&mut buf, &mut link_chars, &open);
    out
}

/// The element holding the article: `[itemprop=articleBody]`, else the `<article>` with the
/// most prose, else `<main>`, else the best-scoring element by its paragraphs' text.
fn region(doc: &Html, blocks: &[Block]) -> Option<NodeId> {
    let prose_in = |id: NodeId| -> usize {
        blocks
            .iter()
            .filter(|b| b.is_prose() && b.ancestors.contains(&id))
            .map(Block::chars)
            .sum()
    };
    for sel in [
        r#"[itemprop="articleBody"]"#,
        "article",
        r#"main, [role="main"]"#,
    ] {
        let Some(s) = selector(sel) else { continue };
        let best = doc
            .select(&s)
            .map(|e| (prose_in(e.id()), e.id()))
            .max_by_key(|(n, id)| (*n, std::cmp::Reverse(*id)));
        if let Some((n, id)) = best {
            if n >= 150 {
                return Some(id);
            }
        }
    }
    // Readability: a paragraph scores its parent fully and its grandparent by half.
    let mut score: HashMap<NodeId, f64> = HashMap::new();
    for b in blocks.iter().filter(|b| b.is_prose()) {
        let commas = b.text.matches([',', '،', '、']).count() as f64;
        let s = 1.0 + commas + (b.chars() as f64 / 100.0).min(3.0);
        // The block's own element, then its parent and grandparent elements.
        let Some(&own) = b.ancestors.first() else {
            continue;
        };
        let parents = element_parents(doc, own);
        for (k, id) in parents.iter().take(2).enumerate() {
            *score.entry(*id).or_default() += s / (k + 1) as f64;
        }
    }
    let best = score
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
    Some(best.0)
}

/// The element ancestors of a node, nearest first (at most three).
fn element_parents(doc: &Html, id: NodeId) -> Vec<NodeId> {
    let Some(node) = doc.tree.get(id) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    node.ancestors()
        .filter(|n: &NodeRef<'_, Node>| n.value().is_element())
        .map(|n| n.id())
        .filter(|i| seen.insert(*i))
        .take(3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html>
<html><head>
<title>Spy chiefs meet in Islamabad | Daily News</title>
<meta property="og:title" content="Spy chiefs meet in Islamabad">
<meta property="article:published_time" content="2021-09-12T08:30:00+05:00">
<link rel="canonical" href="https://news.example/2021/09/spy-chiefs">
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-01-01"}</script>
<style>p { color: red }</style>
</head><body>
<header><a href="/">Daily News</a><nav><ul><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="layout">
<article>
<h1>Spy chiefs meet in Islamabad</h1>
<p class="byline">By A. Reporter</p>
<p>ISLAMABAD: Intelligence chiefs of China, Russia and Iran met in Islamabad on Saturday, officials said.</p>
<div class="share-bar"><a href="#">Share</a><a href="#">Tweet</a></div>
<p>The meeting was hosted by the director general of the <a href="/isi">Inter-Services Intelligence</a>, Lt Gen Faiz Hameed.</p>
<script>var tracking = "Do not read this";</script>
<h2>Regional security</h2>
<p>They discussed the situation in Afghanistan, a statement added.</p>
</article>
<aside class="related"><h3>Related</h3><p>Another story about a different meeting that is long enough to be prose.</p></aside>
</div>
<footer><p>© 2021 Daily News. All rights reserved. Contact us for a long sentence about nothing.</p></footer>
</body></html>"##;

    #[test]
    fn main_text_without_chrome() {
        let p = extract(PAGE).expect("page");
        assert_eq!(p.title.as_deref(), Some("Spy chiefs meet in Islamabad"));
        assert_eq!(
            p.published.map(|d| d.to_string()).as_deref(),
            Some("2021-09-12")
        );
        assert_eq!(
            p.url.as_deref(),
            Some("https://news.example/2021/09/spy-chiefs")
        );
        let expected = "Spy chiefs meet in Islamabad\n\nBy A. Reporter\n\nISLAMABAD: Intelligence chiefs of China, Russia and Iran met in Islamabad on Saturday, officials said.\n\nThe meeting was hosted by the director general of the Inter-Services Intelligence, Lt Gen Faiz Hameed.\n\nRegional security\n\nThey discussed the situation in Afghanistan, a statement added.";
        assert_eq!(p.text, expected);
    }

    #[test]
    fn without_article_element_the_densest_block_wins() {
        let page = r##"<html><body>
<div id="menu"><a href="/a">Home</a> <a href="/b">Politics</a> <a href="/c">Economy</a></div>
<div class="col">
  <div class="story-content">
    <p>Foreign ministers of Jordan and Iraq met in Amman on Tuesday, the ministry said in a statement.</p>
    <p>They discussed trade, water, and the border crossing, according to the statement.</p>
  </div>
  <div class="links"><p><a href="/x">A teaser headline that is a link and only a link</a></p></div>
</div>
<div class="sidebar"><p>Most read stories of the day are listed here for readers, with more.</p></div>
<time datetime="2024-05-07">May 7</time>
</body></html>"##;
        let p = extract(page).expect("page");
        assert_eq!(p.title, None);
        assert_eq!(
            p.published.map(|d| d.to_string()).as_deref(),
            Some("2024-05-07")
        );
        assert!(
            p.text.starts_with("Foreign ministers of Jordan"),
            "{}",
            p.text
        );
        assert!(p.text.contains("\n\nThey discussed trade"));
        assert!(!p.text.contains("teaser"), "{}", p.text);
        assert!(!p.text.contains("Most read"), "{}", p.text);
        assert!(!p.text.contains("Politics"), "{}", p.text);
    }

    #[test]
    fn json_ld_and_og_metadata() {
        let page = r##"<html><head>
<meta property="og:url" content="https://x.example/a">
<script type="application/ld+json">[{"@graph":[{"@type":"NewsArticle","headline":"Talks in Ankara","datePublished":"2023-03-03T10:00:00Z"}]}]</script>
</head><body><main><p>Turkish and Russian officials held talks in Ankara on Friday, the ministry said.</p><p>More talks are planned for next month in Moscow, officials added.</p><p>Both sides called the talks useful and constructive, in a joint statement.</p></main></body></html>"##;
        let p = extract(page).expect("page");
        assert_eq!(p.title.as_deref(), Some("Talks in Ankara"));
        assert_eq!(
            p.published.map(|d| d.to_string()).as_deref(),
            Some("2023-03-03")
        );
        assert_eq!(p.url.as_deref(), Some("https://x.example/a"));
        assert!(p.text.starts_with("Talks in Ankara\n\nTurkish and Russian"));
    }

    #[test]
    fn pages_without_text_give_none() {
        assert_eq!(
            extract("<html><head><title></title></head><body><script>x()</script></body></html>"),
            Err(PageError::NoText)
        );
    }

    #[test]
    fn deep_nesting_is_read_or_refused_quickly() {
        let page = |n: usize| {
            format!(
                "<html><body>{}<p>Deep text here.</p>{}</body></html>",
                "<div>".repeat(n),
                "</div>".repeat(n)
            )
        };
        let p = extract(&page(2_000)).expect("page");
        assert!(p.text.contains("Deep text here."));
        assert_eq!(extract(&page(100_000)), Err(PageError::TooDeep(100_002)));
        // Unclosed paragraphs and void elements are not nesting.
        let flat = format!(
            "<html><body>{}</body></html>",
            "<p>Text <br> more".repeat(10_000)
        );
        assert_eq!(nesting_estimate(&flat), 2);
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html("\u{feff}  <!DOCTYPE html><html>"));
        assert!(looks_like_html("<HTML lang=en>"));
        assert!(!looks_like_html("Headline <b>not html</b>"));
    }
}
