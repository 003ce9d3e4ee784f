//! The index layout. Any change here must bump [`SCHEMA_VERSION`].

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::Document;
use crate::analyzer;

/// Bump whenever the schema or the analysis chain changes: an index built with another
/// version is wiped on open and reported through `needs_rebuild`, because its terms would
/// no longer match what queries produce.
pub const SCHEMA_VERSION: u32 = 2;

/// Stored in the `membership` field of articles visible to every client; a UUID string can
/// never collide with it.
pub const GLOBAL: &str = "global";

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub slug: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub tags: Field,
    /// The body's neighbouring stems as single terms, so a phrase is a term lookup.
    pub body_pairs: Field,
    /// Whole folded words of the title, for type-ahead prefixes and typo matches.
    pub title_plain: Field,
    /// Whole folded words of all text, only for typo matches.
    pub plain: Field,
    pub kind: Field,
    pub categories: Field,
    pub membership: Field,
    pub published: Field,
    pub updated_at: Field,
}

/// Name of the fast field browse results are sorted on.
pub const UPDATED_AT: &str = "updated_at";

fn analysed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        slug: b.add_text_field("slug", STORED),
        title: b.add_text_field("title", analysed(analyzer::STEMMED, positions).set_stored()),
        summary: b.add_text_field(
            "summary",
            analysed(analyzer::STEMMED, positions).set_stored(),
        ),
        body: b.add_text_field("body", analysed(analyzer::STEMMED, positions).set_stored()),
        tags: b.add_text_field("tags", analysed(analyzer::STEMMED, positions).set_stored()),
        body_pairs: b.add_text_field(
            "body_pairs",
            analysed(analyzer::PAIRS, IndexRecordOption::WithFreqs),
        ),
        title_plain: b.add_text_field(
            "title_plain",
            analysed(analyzer::PLAIN, IndexRecordOption::WithFreqs),
        ),
        plain: b.add_text_field("plain", analysed(analyzer::PLAIN, IndexRecordOption::Basic)),
        kind: b.add_text_field("kind", STRING | STORED),
        categories: b.add_text_field("categories", STRING),
        membership: b.add_text_field("membership", STRING),
        published: b.add_bool_field("published", INDEXED),
        updated_at: b.add_i64_field(UPDATED_AT, FAST),
    };
    (b.build(), fields)
}

pub fn membership_value(membership: Option<uuid::Uuid>) -> String {
    membership.map_or_else(|| GLOBAL.to_owned(), |m| m.hyphenated().to_string())
}

pub fn id_value(id: uuid::Uuid) -> String {
    id.hyphenated().to_string()
}

pub fn to_tantivy(f: &Fields, doc: &Document) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(f.id, id_value(doc.id));
    d.add_text(f.slug, &doc.slug);
    d.add_text(f.title, &doc.title);
    d.add_text(f.summary, &doc.summary);
    d.add_text(f.body, &doc.body);
    d.add_text(f.body_pairs, &doc.body);
    for tag in &doc.tags {
        d.add_text(f.tags, tag);
    }
    d.add_text(f.title_plain, &doc.title);
    for text in [&doc.title, &doc.summary, &doc.body]
        .into_iter()
        .chain(&doc.tags)
    {
        d.add_text(f.plain, text);
    }
    d.add_text(f.kind, &doc.kind);
    for category in &doc.categories {
        d.add_text(f.categories, category);
    }
    d.add_text(f.membership, membership_value(doc.membership));
    for m in &doc.also_memberships {
        d.add_text(f.membership, membership_value(Some(*m)));
    }
    d.add_bool(f.published, doc.published);
    d.add_i64(f.updated_at, doc.updated_at.timestamp_micros());
    d
}
