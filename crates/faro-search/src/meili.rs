//! Meilisearch behind [`SearchEngine`]: one index shared by every node.
//!
//! Meilisearch does not stem Spanish, so each text field travels with a second, stemmed copy
//! made by the same analyzer the embedded index uses (`title_stems`, …), and every word of a
//! query is sent as its stem. "impresoras" is sent as `impresor` and meets the `impresor` of
//! "impresora" in `title_stems`; a misspelt word whose stem strays ("configurasion") still
//! meets the unstemmed copy within Meilisearch's typo budget. Phrases and exclusions are sent
//! as stems too, against the stemmed copies. Titles and snippets are highlighted by Faro's own
//! highlighter from the stored text, so both engines mark and escape results the same way.
//!
//! Every write is a Meilisearch task; each is awaited and a failed one is an error.

use std::collections::BTreeSet;
use std::time::Duration;

use meilisearch_sdk::client::Client;
use meilisearch_sdk::errors::{Error as MeiliError, ErrorCode};
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::search::{FederationOptions, MatchingStrategies, SearchQuery};
use meilisearch_sdk::settings::{
    LocalizedAttributes, MinWordSizeForTypos, PaginationSetting, Settings, TypoToleranceSettings,
};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde::{Deserialize, Serialize};

use crate::engine::{Answer, Cursor, SearchEngine};
use crate::highlight;
use crate::query::{Analyzers, Highlight};
use crate::schema::{self, Fields};
use crate::syntax::{self, Clause};
use crate::{
    Document, Hit, KIND_DOWNLOAD, KIND_INCIDENT, KIND_RESOURCE, MAX_LIMIT, MAX_OFFSET, Scope,
    SearchError, SearchRequest, SearchResults, Suggestion, analyzer, spanish,
};

/// Bump when the document layout or the settings change meaning: the index name carries it,
/// so a new layout starts in a new, empty index that is rebuilt from the database.
pub const LAYOUT_VERSION: u32 = 1;

/// Searches answer in milliseconds; a server that takes this long is failing.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A write task waits behind others (a rebuild pushes many); it gets longer.
const TASK_TIMEOUT: Duration = Duration::from_secs(300);
/// How often an awaited task is polled: short, because saves wait for their push.
const TASK_POLL: Duration = Duration::from_millis(10);
/// Documents per write request.
const WRITE_BATCH: usize = 1_000;
const SUGGEST_MAX: usize = 50;
const RELATED_MAX_TERMS: usize = 24;

/// Where the shared index is.
#[derive(Debug, Clone)]
pub struct MeiliConfig {
    /// `FARO_MEILISEARCH_URL`, e.g. `http://127.0.0.1:7700`.
    pub url: String,
    /// `FARO_MEILISEARCH_KEY`: a key allowed to search, write documents and manage the index.
    /// It stays on the server: browsers and integrations only ever talk to Faro.
    pub key: Option<String>,
    /// The index name's prefix (`FARO_MEILISEARCH_INDEX`, default `faro`); the layout version
    /// is appended (`faro-v1`).
    pub index: String,
}

/// Meilisearch as Faro's search engine.
pub struct MeiliEngine {
    client: Client,
    index: Index,
    created: bool,
    fields: Fields,
    analyzers: Analyzers,
}

impl std::fmt::Debug for MeiliEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeiliEngine")
            .field("index", &self.index.uid)
            .field("created", &self.created)
            .finish()
    }
}

/// A document as Meilisearch stores it.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    id: String,
    slug: String,
    title: String,
    summary: String,
    body: String,
    tags: Vec<String>,
    kind: String,
    categories: Vec<String>,
    /// `global` and/or the memberships that see it: the scope filter.
    audience: Vec<String>,
    published: bool,
    /// Seconds since the epoch, for browsing newest first.
    updated_at: i64,
    title_stems: String,
    tags_stems: String,
    summary_stems: String,
    body_stems: String,
}

/// What a hit brings back.
#[derive(Debug, Deserialize)]
struct Stored {
    id: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    audience: Vec<String>,
    #[serde(default)]
    published: bool,
}

const RETRIEVED: &[&str] = &["id", "slug", "title", "summary", "body", "kind"];
const SUGGESTED: &[&str] = &["id", "slug", "title", "kind"];

/// Searchable attributes, most telling first (the `attribute` ranking rule follows this order:
/// a match in the title outranks one in the body).
const SEARCHABLE: &[&str] = &[
    "title",
    "title_stems",
    "tags",
    "tags_stems",
    "summary",
    "summary_stems",
    "body",
    "body_stems",
];
const TITLE_ONLY: &[&str] = &["title", "title_stems"];
const FILTERABLE: &[&str] = &["id", "kind", "categories", "audience", "published"];

fn engine_err(context: &str, e: impl std::fmt::Display) -> SearchError {
    SearchError::Engine(format!("Meilisearch {context}: {e}"))
}

/// Runs one request with the request timeout, keeping Meilisearch's own error to inspect.
async fn raw<T>(
    context: &str,
    f: impl std::future::Future<Output = Result<T, MeiliError>>,
) -> Result<Result<T, MeiliError>, SearchError> {
    tokio::time::timeout(REQUEST_TIMEOUT, f)
        .await
        .map_err(|_| engine_err(context, "no answer in time"))
}

/// Runs one request with the request timeout.
async fn timed<T>(
    context: &str,
    f: impl std::future::Future<Output = Result<T, MeiliError>>,
) -> Result<T, SearchError> {
    raw(context, f).await?.map_err(|e| engine_err(context, e))
}

fn code(e: &MeiliError) -> Option<&ErrorCode> {
    match e {
        MeiliError::Meilisearch(m) => Some(&m.error_code),
        _ => None,
    }
}

/// A string inside a Meilisearch filter expression.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn any_of<'a>(attribute: &str, values: impl IntoIterator<Item = &'a str>) -> String {
    let list: Vec<String> = values.into_iter().map(quoted).collect();
    format!("{attribute} IN [{}]", list.join(", "))
}

/// The scope as a filter: a member sees their membership's and global published documents.
fn visibility(scope: &Scope, include_unpublished: bool) -> Vec<String> {
    match scope {
        Scope::All if include_unpublished => Vec::new(),
        Scope::All => vec!["published = true".into()],
        Scope::Membership(m) => vec![
            "published = true".into(),
            any_of("audience", [schema::GLOBAL, m.to_string().as_str()]),
        ],
    }
}

fn and(clauses: &[String]) -> Option<String> {
    (!clauses.is_empty()).then(|| {
        clauses
            .iter()
            .map(|c| format!("({c})"))
            .collect::<Vec<_>>()
            .join(" AND ")
    })
}

/// A user query turned into Meilisearch's syntax over stems.
#[derive(Debug, Default)]
struct Plan {
    /// One fragment per word or phrase the user wants (`impresor`, `"papel atasc"`).
    positives: Vec<String>,
    /// `-laser`, `-"cartuch color"`.
    negatives: Vec<String>,
    only_stop_words: bool,
    highlight: Highlight,
}

impl Plan {
    fn new(text: &str, a: &Analyzers) -> (Self, bool) {
        let parsed = syntax::parse(text);
        let mut plan = Plan::default();
        let mut positive_words = 0usize;
        for item in &parsed.items {
            let (text, phrase) = match &item.clause {
                Clause::Word(w) => (w.as_str(), false),
                Clause::Phrase(p) => (p.as_str(), true),
            };
            let stems: Vec<String> = analyzer::tokens(&a.stemmed, text)
                .into_iter()
                .map(|t| t.text)
                .collect();
            if !item.excluded {
                positive_words += 1;
            }
            let terms = spanish::index_terms(&a.stemmed, &a.plain, text);
            let fragment = match terms.as_slice() {
                [] => continue,
                [single] if !phrase => single.clone(),
                many => format!("\"{}\"", many.join(" ")),
            };
            if item.excluded {
                plan.negatives.push(format!("-{fragment}"));
                continue;
            }
            if let (false, [p]) = (phrase, analyzer::tokens(&a.plain, text).as_slice()) {
                let budget = analyzer::typo_budget(&p.text);
                if budget > 0 {
                    plan.highlight.fuzzy.push((p.text.clone(), budget));
                }
            }
            plan.highlight.stems.extend(stems);
            plan.positives.push(fragment);
        }
        plan.only_stop_words = positive_words > 0 && plan.positives.is_empty();
        (plan, parsed.malformed)
    }

    fn text(&self, positives: &[String]) -> String {
        positives
            .iter()
            .chain(&self.negatives)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Page parameters that give an exact total: Meilisearch counts exhaustively only when asked
/// for a page, so an offset that is not a multiple of the limit reads from the first page.
fn paging(offset: usize, limit: usize) -> (usize, usize, usize) {
    match limit {
        0 => (1, 0, 0),
        _ if offset.is_multiple_of(limit) => (offset / limit + 1, limit, 0),
        _ => (1, offset + limit, offset),
    }
}

fn task_failed(task: Task, context: &str) -> Result<(), SearchError> {
    match task {
        Task::Succeeded { .. } => Ok(()),
        Task::Failed { content } => Err(engine_err(
            context,
            format!(
                "task {} failed: {} ({:?})",
                content.task.uid, content.error.error_message, content.error.error_code
            ),
        )),
        Task::Enqueued { .. } | Task::Processing { .. } => {
            Err(engine_err(context, "task still pending"))
        }
    }
}

impl MeiliEngine {
    /// Connects, makes sure the index exists (creating it when missing) and applies Faro's
    /// settings, waiting for each task. A server that cannot be reached, refuses the key or
    /// fails a task is an error: Faro does not start on half a search engine.
    pub async fn connect(config: &MeiliConfig) -> Result<Self, SearchError> {
        let client = Client::new(config.url.trim_end_matches('/'), config.key.as_deref())
            .map_err(|e| engine_err("client", e))?;
        timed("health check", client.health()).await?;
        let uid = format!("{}-v{LAYOUT_VERSION}", config.index);
        let mut created = false;
        match raw("index", client.get_raw_index(&uid)).await? {
            Ok(_) => {}
            Err(e) if code(&e) == Some(&ErrorCode::IndexNotFound) => {
                let info = timed("create index", client.create_index(&uid, Some("id"))).await?;
                match finished(&client, info).await? {
                    Task::Failed { content }
                        if content.error.error_code == ErrorCode::IndexAlreadyExists =>
                    {
                        // Another node created it in between: that node rebuilds it.
                    }
                    task => {
                        task_failed(task, "create index")?;
                        created = true;
                    }
                }
            }
            Err(e) => return Err(engine_err("index", e)),
        }
        let index = client.index(&uid);
        let info = timed("settings", index.set_settings(&settings())).await?;
        wait(&client, info).await?;
        let (_, fields) = schema::build();
        Ok(Self {
            client,
            index,
            created,
            fields,
            analyzers: Analyzers::new(),
        })
    }

    /// The index's name (`faro-v1`): the key of its shared cursor.
    pub fn uid(&self) -> &str {
        &self.index.uid
    }

    /// The server's version, for reports.
    pub async fn version(&self) -> Result<String, SearchError> {
        Ok(timed("version", self.client.get_version())
            .await?
            .pkg_version)
    }

    /// Bytes the server's database uses (all its indexes), for reports.
    pub async fn disk_size(&self) -> Result<u64, SearchError> {
        Ok(timed("stats", self.client.get_stats())
            .await?
            .used_database_size as u64)
    }

    /// Deletes the index (tests, and operators moving to another layout).
    pub async fn delete(self) -> Result<(), SearchError> {
        let info = timed("delete index", self.client.delete_index(&self.index.uid)).await?;
        wait(&self.client, info).await
    }

    fn record(&self, d: &Document) -> Record {
        let a = &self.analyzers;
        let stems = |text: &str| spanish::index_terms(&a.stemmed, &a.plain, text).join(" ");
        let mut audience: Vec<String> = match d.membership {
            None => vec![schema::GLOBAL.to_owned()],
            Some(m) => vec![m.to_string()],
        };
        audience.extend(d.also_memberships.iter().map(|m| m.to_string()));
        Record {
            id: d.id.to_string(),
            slug: d.slug.clone(),
            title: d.title.clone(),
            summary: d.summary.clone(),
            body: d.body.clone(),
            tags: d.tags.clone(),
            kind: d.kind.clone(),
            categories: d.categories.clone(),
            audience,
            published: d.published,
            updated_at: d.updated_at.timestamp(),
            title_stems: stems(&d.title),
            tags_stems: stems(&d.tags.join(" ")),
            summary_stems: stems(&d.summary),
            body_stems: stems(&d.body),
        }
    }

    fn hit(&self, stored: Stored, score: f64, h: &Highlight) -> Result<Hit, SearchError> {
        let id = uuid::Uuid::parse_str(&stored.id)
            .map_err(|e| engine_err("stored id", format!("{:?}: {e}", stored.id)))?;
        let (f, a) = (&self.fields, &self.analyzers);
        Ok(Hit {
            id,
            slug: stored.slug,
            title_html: highlight::title_html(&stored.title, f.title, h, a),
            snippet_html: highlight::snippet_html(
                &stored.body,
                &stored.summary,
                f.body,
                f.summary,
                h,
                a,
            ),
            title: stored.title,
            kind: stored.kind,
            score: score as f32,
        })
    }

    async fn search_req(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let (plan, malformed) = Plan::new(&req.text, &self.analyzers);
        let mut results = SearchResults {
            total: 0,
            hits: Vec::new(),
            fell_back: malformed,
            relaxed: false,
        };
        if plan.only_stop_words {
            return Ok(results);
        }
        let mut filters = visibility(
            &req.scope,
            req.include_unpublished && req.scope == Scope::All,
        );
        if !req.kinds.is_empty() {
            filters.push(any_of("kind", req.kinds.iter().map(String::as_str)));
        }
        if let Some(c) = &req.category {
            filters.push(format!("categories = {}", quoted(c)));
        }
        if !req.exclude.is_empty() {
            let ids: Vec<String> = req.exclude.iter().map(|id| id.to_string()).collect();
            filters.push(format!(
                "NOT ({})",
                any_of("id", ids.iter().map(String::as_str))
            ));
        }
        let filter = and(&filters);
        let limit = req.limit.min(MAX_LIMIT);
        let offset = req.offset.min(MAX_OFFSET);

        let q = plan.text(&plan.positives);
        let (page, per_page, skip) = paging(offset, limit);
        let newest = ["updated_at:desc"];
        let mut query = SearchQuery::new(&self.index);
        query
            .with_query(&q)
            .with_page(page)
            .with_hits_per_page(per_page)
            .with_matching_strategy(MatchingStrategies::ALL)
            .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(RETRIEVED))
            .with_show_ranking_score(true);
        if let Some(filter) = &filter {
            query.with_filter(filter);
        }
        if plan.positives.is_empty() {
            query.with_sort(&newest);
        }
        let found = timed("search", query.execute::<Stored>()).await?;
        results.total = found.total_hits.unwrap_or(found.hits.len());
        let browsing = plan.positives.is_empty();
        if results.total > 0 || plan.positives.len() < 2 {
            for hit in found.hits.into_iter().skip(skip) {
                let score = if browsing {
                    0.0
                } else {
                    hit.ranking_score.unwrap_or(0.0)
                };
                results
                    .hits
                    .push(self.hit(hit.result, score, &plan.highlight)?);
            }
            return Ok(results);
        }
        // Nothing has every word: documents with any of them, one query per word, merged by
        // score (Meilisearch counts the union).
        let texts: Vec<String> = plan
            .positives
            .iter()
            .map(|p| plan.text(std::slice::from_ref(p)))
            .collect();
        let (total, hits) = self
            .any_of_queries(&texts, None, filter.as_deref(), offset, limit, RETRIEVED)
            .await?;
        results.relaxed = true;
        results.total = total;
        for (stored, score) in hits {
            results.hits.push(self.hit(stored, score, &plan.highlight)?);
        }
        Ok(results)
    }

    /// A federated search: documents matching any of `texts`, merged by score, each once.
    async fn any_of_queries(
        &self,
        texts: &[String],
        on: Option<&[&str]>,
        filter: Option<&str>,
        offset: usize,
        limit: usize,
        retrieve: &[&str],
    ) -> Result<(usize, Vec<(Stored, f64)>), SearchError> {
        let mut multi = self.client.multi_search();
        for text in texts {
            let mut q = SearchQuery::new(&self.index);
            q.with_query(text)
                .with_matching_strategy(MatchingStrategies::ALL)
                .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(retrieve))
                .with_show_ranking_score(true);
            if let Some(on) = on {
                q.with_attributes_to_search_on(on);
            }
            if let Some(filter) = filter {
                q.with_filter(filter);
            }
            multi.with_search_query(q);
        }
        let federated = multi.with_federation(FederationOptions {
            offset: Some(offset),
            limit: Some(limit),
            ..FederationOptions::default()
        });
        let found = timed("search", federated.execute::<Stored>()).await?;
        Ok((
            found.estimated_total_hits,
            found
                .hits
                .into_iter()
                .map(|h| (h.result, h.ranking_score.unwrap_or(0.0)))
                .collect(),
        ))
    }

    async fn suggest_titles(
        &self,
        prefix: &str,
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let limit = limit.min(SUGGEST_MAX);
        let (complete, partial) = syntax::typed_words(prefix);
        // Finished words in any inflection (their stems); the word being typed as typed,
        // which Meilisearch completes as a prefix.
        let a = &self.analyzers;
        let mut terms: Vec<String> = complete
            .iter()
            .flat_map(|w| spanish::index_terms(&a.stemmed, &a.plain, w))
            .collect();
        if let Some(word) = partial {
            terms.extend(
                analyzer::tokens(&self.analyzers.plain, word)
                    .into_iter()
                    .map(|t| t.text),
            );
        }
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let q = terms.join(" ");
        let filter = and(&visibility(scope, false)).unwrap_or_default();
        let mut query = SearchQuery::new(&self.index);
        query
            .with_query(&q)
            .with_limit(limit)
            .with_matching_strategy(MatchingStrategies::ALL)
            .with_attributes_to_search_on(TITLE_ONLY)
            .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(SUGGESTED))
            .with_filter(&filter);
        let found = timed("suggestions", query.execute::<Stored>()).await?;
        Ok(found
            .hits
            .into_iter()
            .map(|h| Suggestion {
                slug: h.result.slug,
                title: h.result.title,
                kind: h.result.kind,
            })
            .collect())
    }

    async fn related_to(
        &self,
        id: uuid::Uuid,
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let limit = limit.min(MAX_LIMIT);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let source = match raw(
            "document",
            self.index.get_document::<Stored>(&id.to_string()),
        )
        .await?
        {
            Ok(s) => s,
            Err(e) if code(&e) == Some(&ErrorCode::DocumentNotFound) => return Ok(Vec::new()),
            Err(e) => return Err(engine_err("document", e)),
        };
        // Staff may look at a draft and still want its neighbours; clients only see published.
        let visible = match scope {
            Scope::All => true,
            Scope::Membership(m) => {
                source.published
                    && source
                        .audience
                        .iter()
                        .any(|a| a == schema::GLOBAL || *a == m.to_string())
            }
        };
        if !visible {
            return Ok(Vec::new());
        }
        let mut stems = BTreeSet::new();
        let tags = source.tags.join(" ");
        for text in [
            source.title.as_str(),
            tags.as_str(),
            source.summary.as_str(),
        ] {
            for t in spanish::index_terms(&self.analyzers.stemmed, &self.analyzers.plain, text) {
                if stems.len() < RELATED_MAX_TERMS {
                    stems.insert(t);
                }
            }
        }
        if stems.is_empty() {
            return Ok(Vec::new());
        }
        // Neighbours of an article are articles: never downloads, catalogue entries or incidents.
        let mut filters = visibility(scope, false);
        filters.push(format!("id != {}", quoted(&id.to_string())));
        filters.push(format!(
            "NOT ({})",
            any_of("kind", [KIND_DOWNLOAD, KIND_RESOURCE, KIND_INCIDENT])
        ));
        let filter = and(&filters);
        // Each stem is looked up as a whole word, not completed as a prefix.
        let texts: Vec<String> = stems.into_iter().map(|s| format!("\"{s}\"")).collect();
        let (_, hits) = self
            .any_of_queries(&texts, None, filter.as_deref(), 0, limit, RETRIEVED)
            .await?;
        hits.into_iter()
            .map(|(stored, score)| self.hit(stored, score, &Highlight::default()))
            .collect()
    }

    async fn write(&self, docs: &[Document], deleted: &[uuid::Uuid]) -> Result<(), SearchError> {
        // The last version of a document in the batch wins, as in the embedded index.
        let mut latest: Vec<&Document> = Vec::with_capacity(docs.len());
        for d in docs.iter().rev() {
            if !latest.iter().any(|l| l.id == d.id) {
                latest.push(d);
            }
        }
        latest.reverse();
        for chunk in latest.chunks(WRITE_BATCH) {
            let records: Vec<Record> = chunk.iter().map(|d| self.record(d)).collect();
            let info = timed(
                "add documents",
                self.index.add_or_replace(&records, Some("id")),
            )
            .await?;
            wait(&self.client, info).await?;
        }
        for chunk in deleted.chunks(WRITE_BATCH) {
            let ids: Vec<String> = chunk.iter().map(|id| id.to_string()).collect();
            let info = timed("delete documents", self.index.delete_documents(&ids)).await?;
            wait(&self.client, info).await?;
        }
        Ok(())
    }
}

/// Waits for a task to finish, successfully or not.
async fn finished(client: &Client, info: TaskInfo) -> Result<Task, SearchError> {
    let context = format!("task {}", info.task_uid);
    info.wait_for_completion(client, Some(TASK_POLL), Some(TASK_TIMEOUT))
        .await
        .map_err(|e| engine_err(&context, e))
}

/// Waits for a task and turns its failure into an error.
async fn wait(client: &Client, info: TaskInfo) -> Result<(), SearchError> {
    let context = format!("task {}", info.task_uid);
    task_failed(finished(client, info).await?, &context)
}

/// Faro's index settings: what is searched and in which order of importance, what filters and
/// sorts, Spanish stop words and synonyms, and typo budgets matching the embedded index's.
fn settings() -> Settings {
    let strings = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    Settings::new()
        .with_searchable_attributes(SEARCHABLE)
        .with_filterable_attributes(FILTERABLE)
        .with_sortable_attributes(["updated_at"])
        .with_displayed_attributes(["*"])
        .with_ranking_rules([
            "words",
            "typo",
            "proximity",
            "attribute",
            "sort",
            "exactness",
        ])
        .with_stop_words(spanish::stop_words())
        .with_synonyms(spanish::stemmed_synonyms())
        .with_typo_tolerance(TypoToleranceSettings {
            enabled: Some(true),
            disable_on_attributes: Some(Vec::new()),
            disable_on_words: Some(Vec::new()),
            min_word_size_for_typos: Some(MinWordSizeForTypos {
                one_typo: Some(5),
                two_typos: Some(8),
            }),
            disable_on_numbers: Some(true),
        })
        .with_pagination(PaginationSetting {
            max_total_hits: MAX_OFFSET + MAX_LIMIT,
        })
        .with_localized_attributes([LocalizedAttributes {
            locales: strings(&["spa"]),
            attribute_patterns: strings(&["*"]),
        }])
}

impl SearchEngine for MeiliEngine {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    fn cursor_kind(&self) -> Cursor {
        Cursor::Shared
    }

    fn needs_rebuild(&self) -> bool {
        self.created
    }

    fn search<'a>(&'a self, req: &'a SearchRequest) -> Answer<'a, SearchResults> {
        Box::pin(self.search_req(req))
    }

    fn suggest<'a>(
        &'a self,
        text: &'a str,
        scope: &'a Scope,
        limit: usize,
    ) -> Answer<'a, Vec<Suggestion>> {
        Box::pin(self.suggest_titles(text, scope, limit))
    }

    fn related<'a>(
        &'a self,
        id: uuid::Uuid,
        scope: &'a Scope,
        limit: usize,
    ) -> Answer<'a, Vec<Hit>> {
        Box::pin(self.related_to(id, scope, limit))
    }

    /// The shared cursor lives in the database (see `faro_jobs::index`).
    fn cursor(&self) -> Answer<'_, u64> {
        Box::pin(std::future::ready(Ok(0)))
    }

    fn apply<'a>(
        &'a self,
        docs: &'a [Document],
        deleted: &'a [uuid::Uuid],
        _cursor: u64,
    ) -> Answer<'a, ()> {
        Box::pin(self.write(docs, deleted))
    }

    fn clear(&self) -> Answer<'_, ()> {
        Box::pin(async move {
            let info = timed("clear", self.index.delete_all_documents()).await?;
            wait(&self.client, info).await
        })
    }

    fn count(&self) -> Answer<'_, u64> {
        Box::pin(async move {
            let stats = timed("stats", self.index.get_stats()).await?;
            Ok(stats.number_of_documents as u64)
        })
    }

    fn shared_key(&self) -> Option<&str> {
        Some(self.uid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_quoted_and_escaped() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(any_of("kind", ["faq", "x\""]), r#"kind IN ["faq", "x\""]"#);
    }

    #[test]
    fn queries_are_sent_as_stems() {
        let a = Analyzers::new();
        let (plan, malformed) = Plan::new(
            r#"Impresoras "papel atascado" -láser -"cartucho de color" de"#,
            &a,
        );
        assert!(!malformed);
        assert_eq!(plan.positives, ["impresor", "\"papel atasc\""]);
        assert_eq!(plan.negatives, ["-laser", "-\"cartuch color\""]);
        assert_eq!(plan.highlight.stems.len(), 3, "{:?}", plan.highlight);
        let (plan, _) = Plan::new("de la", &a);
        assert!(plan.only_stop_words);
    }

    #[test]
    fn pages_give_exact_totals() {
        assert_eq!(paging(0, 20), (1, 20, 0));
        assert_eq!(paging(40, 20), (3, 20, 0));
        assert_eq!(paging(1, 2), (1, 3, 1));
        assert_eq!(paging(5, 0), (1, 0, 0));
    }
}
