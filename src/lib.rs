//! newsgraph turns news articles into a knowledge graph of officials, agencies, countries,
//! cities and meetings.
//!
//! ```text
//! articles ─► article::load ─► extract (per article) ─► merge (across articles)
//!          ─► rdf::to_quads ─► export (TriG, N-Quads, Turtle, DOT, SVG) / store (SPARQL)
//! ```
//! `pipeline` runs the stages in order; each stage lives in its own module.

pub mod article;
pub mod dates;
pub mod decode;
pub mod export;
pub mod extract;
pub mod gen_corpus;
pub mod html;
pub mod lexicon;
pub mod merge;
pub mod model;
pub mod outdir;
pub mod pipeline;
pub mod progress;
pub mod push;
pub mod rdf;
pub mod render;
pub mod serve;
pub mod store;
pub mod text;
