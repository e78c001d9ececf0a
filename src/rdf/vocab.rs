//! The IRIs the graph is written with: schema.org, NIF, ITS, PROV, SKOS, OWL, RDFS, XSD and
//! the project's own ontology. The only place IRIs are spelled.

use oxigraph::model::NamedNodeRef;

macro_rules! terms {
    ($ns:literal; $($name:ident = $local:literal),* $(,)?) => {
        $(
            #[doc = concat!("`", $ns, $local, "`")]
            pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));
        )*
    };
}

/// Namespaces with their usual prefixes, for the serializers.
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("schema", "http://schema.org/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    (
        "nif",
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    ),
    ("itsrdf", "http://www.w3.org/2005/11/its/rdf#"),
    ("ng", "https://w3id.org/newsgraph/ontology#"),
    ("ngid", "https://w3id.org/newsgraph/id/"),
    ("nga", "https://w3id.org/newsgraph/article/"),
];

/// The base of entity IRIs.
pub const ID_BASE: &str = "https://w3id.org/newsgraph/id/";
/// The base of article IRIs (also their graph names).
pub const ARTICLE_BASE: &str = "https://w3id.org/newsgraph/article/";
/// The merger's graph.
pub const MERGED_GRAPH: &str = "https://w3id.org/newsgraph/graph/merged";
/// The base of Wikidata entity IRIs.
pub const WIKIDATA_BASE: &str = "http://www.wikidata.org/entity/";

/// RDF.
pub mod rdf {
    use super::*;
    terms!("http://www.w3.org/1999/02/22-rdf-syntax-ns#"; TYPE = "type");
}

/// RDFS.
pub mod rdfs {
    use super::*;
    terms!("http://www.w3.org/2000/01/rdf-schema#"; LABEL = "label");
}

/// XSD.
pub mod xsd {
    use super::*;
    terms!("http://www.w3.org/2001/XMLSchema#"; DATE = "date", NON_NEGATIVE_INTEGER = "nonNegativeInteger", DECIMAL = "decimal");
}

/// OWL.
pub mod owl {
    use super::*;
    terms!("http://www.w3.org/2002/07/owl#"; SAME_AS = "sameAs");
}

/// SKOS.
pub mod skos {
    use super::*;
    terms!("http://www.w3.org/2004/02/skos/core#"; ALT_LABEL = "altLabel", PREF_LABEL = "prefLabel");
}

/// schema.org (http, as the contract's scorer reads it).
pub mod schema {
    use super::*;
    terms!("http://schema.org/";
        NEWS_ARTICLE = "NewsArticle", PERSON = "Person", GOVERNMENT_ORGANIZATION = "GovernmentOrganization",
        ORGANIZATION = "Organization", COUNTRY = "Country", CITY = "City", PLACE = "Place", EVENT = "Event",
        IDENTIFIER = "identifier", NAME = "name", DATE_PUBLISHED = "datePublished", URL = "url",
        JOB_TITLE = "jobTitle", MEMBER_OF = "memberOf", NATIONALITY = "nationality",
        AREA_SERVED = "areaServed", CONTAINED_IN_PLACE = "containedInPlace", START_DATE = "startDate",
        LOCATION = "location", ORGANIZER = "organizer", ATTENDEE = "attendee",
        TEMPORAL_COVERAGE = "temporalCoverage", MENTIONS = "mentions", SUBJECT_OF = "subjectOf",
    );
}

/// NIF 2.0 core.
pub mod nif {
    use super::*;
    terms!("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
        CONTEXT = "Context", PHRASE = "Phrase", RFC5147_STRING = "RFC5147String", IS_STRING = "isString",
        REFERENCE_CONTEXT = "referenceContext", ANCHOR_OF = "anchorOf", BEGIN_INDEX = "beginIndex",
        END_INDEX = "endIndex", SOURCE_URL = "sourceUrl",
    );
}

/// ITS 2.0 RDF.
pub mod itsrdf {
    use super::*;
    terms!("http://www.w3.org/2005/11/its/rdf#"; TA_IDENT_REF = "taIdentRef");
}

/// PROV-O.
pub mod prov {
    use super::*;
    terms!("http://www.w3.org/ns/prov#"; WAS_DERIVED_FROM = "wasDerivedFrom");
}

/// The project's ontology (`ontology/newsgraph.ttl`).
pub mod ng {
    use super::*;
    terms!("https://w3id.org/newsgraph/ontology#";
        OFFICIAL = "Official", AGENCY = "Agency", ORGANIZATION = "Organization", COUNTRY = "Country",
        CITY = "City", PLACE = "Place", PERSON = "Person", MEETING = "Meeting", MERGE_EVIDENCE = "MergeEvidence",
        MEETING_KIND = "meetingKind", CONTEXT = "context", MERGE_RULE = "mergeRule",
        MERGE_FORM = "mergeForm", MERGE_ARTICLE = "mergeArticle", EVIDENCE = "evidence",
        MERGE_SCORE = "mergeScore", MERGE_WITH = "mergeWith", MERGE_WITH_ARTICLE = "mergeWithArticle",
        MERGE_SUPPORT = "mergeSupport",
        ISO_CODE = "isoCode", SOURCE_FILE = "sourceFile",
        MEET = "Meet", VISIT = "Visit", HOST_VISIT = "HostVisit", PHONE_CALL = "PhoneCall", NEGOTIATE = "Negotiate",
    );
}
