//! Relations that follow from what was found: a lexicon entity's country when the article
//! mentions that country, and an official's nationality from their agency's country.

use super::{Doc, Extractor, Found};
use crate::model::EntityKind;

/// Links entities to countries.
pub struct Relations;

impl Extractor for Relations {
    fn name(&self) -> &'static str {
        "relations"
    }

    fn extract(&self, doc: &Doc<'_>, found: &mut Found) {
        let n = found.out.entities.len();
        for i in 0..n {
            let c = &found.out.entities[i];
            if c.country.is_some() || c.kind == EntityKind::Country {
                continue;
            }
            let Some(country_key) = c
                .key
                .as_deref()
                .and_then(|k| doc.lex.get(k))
                .and_then(|e| e.country.clone())
            else {
                continue;
            };
            let target = found
                .out
                .entities
                .iter()
                .position(|x| x.key.as_deref() == Some(country_key.as_str()));
            found.out.entities[i].country = target;
        }
        for i in 0..n {
            let c = &found.out.entities[i];
            if !c.kind.is_person() || c.country.is_some() {
                continue;
            }
            let via = c
                .affiliations
                .iter()
                .find_map(|&a| found.out.entities[a].country);
            found.out.entities[i].country = via;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::{ent, run};

    #[test]
    fn agency_country_and_nationality() {
        let t = "CIA chief William Burns visited Pakistan and the United States.";
        let x = run(t);
        let cia = ent(&x, "CIA");
        let c = cia
            .and_then(|c| c.country)
            .map(|i| x.entities[i].name.as_str());
        assert_eq!(c, Some("United States"));
        let p = ent(&x, "William Burns");
        let c = p
            .and_then(|c| c.country)
            .map(|i| x.entities[i].name.as_str());
        assert_eq!(c, Some("United States"));
    }

    #[test]
    fn no_country_that_the_article_does_not_name() {
        let x = run("CIA chief William Burns spoke.");
        assert!(ent(&x, "CIA").and_then(|c| c.country).is_none());
    }
}
