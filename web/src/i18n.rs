//! One translation catalogue for the SPA: Spanish by default, English second. The person's
//! setting once signed in; before that the visitor's choice (kept in `localStorage`), else the
//! browser's language. Dates and numbers follow the language (es-ES or en-GB).

use chrono::{DateTime, Utc};
use leptos::prelude::*;

pub use faro_types::accounts::Language as Lang;

const CHOICE_KEY: &str = "faro.lang";

/// The language in force, shared through the context.
#[derive(Clone, Copy)]
pub struct Language(pub RwSignal<Lang>);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn code_of(l: Lang) -> &'static str {
    match l {
        Lang::Es => "es",
        Lang::En => "en",
    }
}

impl Language {
    /// The visitor's earlier choice, else Spanish unless the browser prefers English.
    pub fn detect() -> Self {
        let lang = visitor_language();
        set_document_lang(lang);
        Self(RwSignal::new(lang))
    }

    /// Back to the visitor's language (after signing out).
    pub fn reset(self) {
        self.apply(visitor_language());
    }

    /// Applies a language to the whole app at once (the person's setting).
    pub fn apply(self, lang: Lang) {
        self.0.set(lang);
        set_document_lang(lang);
    }

    /// As `Accept-Language` wants it.
    pub fn code(self) -> &'static str {
        code_of(self.0.get_untracked())
    }
}

/// The visitor's earlier choice, else Spanish unless the browser prefers English.
fn visitor_language() -> Lang {
    let chosen = storage()
        .and_then(|s| s.get_item(CHOICE_KEY).ok().flatten())
        .map(|c| if c == "en" { Lang::En } else { Lang::Es });
    let browser = || {
        let english = web_sys::window()
            .and_then(|w| w.navigator().language())
            .is_some_and(|l| l.to_ascii_lowercase().starts_with("en"));
        if english { Lang::En } else { Lang::Es }
    };
    chosen.unwrap_or_else(browser)
}

impl Language {
    /// The language in force, read without tracking.
    pub fn current() -> Lang {
        use_context::<Language>()
            .map(|l| l.0.get_untracked())
            .unwrap_or_default()
    }

    /// A visitor's choice (the switch in the header), remembered for their next visit.
    pub fn choose(self, lang: Lang) {
        if let Some(s) = storage() {
            let _ = s.set_item(CHOICE_KEY, code_of(lang));
        }
        self.apply(lang);
    }
}

fn set_document_lang(lang: Lang) {
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", code_of(lang));
    }
}

/// Declares the catalogue: each entry its Spanish and its English text, side by side.
macro_rules! catalogue {
    ($($key:ident: $es:expr, $en:expr;)*) => {
        /// Every string the SPA shows.
        pub struct Texts { $(pub $key: &'static str,)* }
        const ES: Texts = Texts { $($key: $es,)* };
        const EN: Texts = Texts { $($key: $en,)* };
    };
}

catalogue! {
    brand_home: "Faro, inicio", "Faro, start page";
    skip_to_content: "Saltar al contenido", "Skip to the content";
    menu: "Menú", "Menu";
    nav_label: "Secciones", "Sections";
    home: "Inicio", "Start";
    sign_in: "Iniciar sesión", "Sign in";
    sign_out: "Cerrar sesión", "Sign out";
    email: "Correo electrónico", "E-mail address";
    password: "Contraseña", "Password";
    signing_in: "Iniciando sesión…", "Signing in…";
    hello: "Hola", "Hello";
    loading: "Cargando…", "Loading…";
    load_more: "Cargar más", "Load more";
    retry: "Reintentar", "Try again";
    network_error: "No hay conexión con el portal. Comprueba tu red y vuelve a intentarlo.",
        "The portal cannot be reached. Check your network and try again.";
    server_error: "El portal no ha podido responder", "The portal could not answer";
    not_found: "Esta página no existe.", "This page does not exist.";
    go_home: "Ir al inicio", "Go to the start page";
    never: "Nunca", "Never";
    none: "—", "—";
    copy: "Copiar", "Copy";
    copied: "Copiado.", "Copied.";
    // Session
    expired_title: "Tu sesión ha caducado", "Your session has ended";
    expired_intro: "Vuelve a escribir tu contraseña para seguir. Lo que estabas escribiendo sigue en la página.",
        "Type your password again to carry on. What you were typing is still on the page.";
    expired_other: "Entrar con otra cuenta", "Sign in with another account";
    // Setup, join, password
    setup_title: "Configuración inicial", "First-run setup";
    setup_intro: "Crea la cuenta de administración del portal. El enlace solo funciona una vez.",
        "Create the portal's administrator account. The link works only once.";
    name: "Nombre", "Name";
    create_admin: "Crear la cuenta", "Create the account";
    join_title: "Unirse a tu empresa", "Join your company";
    join_intro: "Escribe el código de invitación que te ha dado el coordinador de tu empresa.",
        "Type the invitation code your company's coordinator gave you.";
    join_link: "¿Tienes un código de invitación? Únete a tu empresa", "Have an invitation code? Join your company";
    code: "Código de invitación", "Invitation code";
    join_send: "Pedir acceso", "Ask for access";
    confirm_title: "Confirma tu correo", "Confirm your e-mail address";
    confirm_button: "Confirmar y activar la cuenta", "Confirm and activate the account";
    confirmed: "Correo confirmado. Tu cuenta está activa: ya puedes iniciar sesión.",
        "E-mail confirmed. Your account is active: you can sign in.";
    forgot_link: "¿Has olvidado la contraseña?", "Forgot your password?";
    forgot_title: "Restablecer la contraseña", "Reset your password";
    forgot_send: "Enviar el enlace", "Send the link";
    reset_title: "Elige una contraseña nueva", "Choose a new password";
    new_password: "Contraseña nueva", "New password";
    reset_save: "Guardar la contraseña", "Save the password";
    reset_done: "Contraseña cambiada. Ya puedes iniciar sesión.", "Password changed. You can sign in now.";
    // Profile
    profile: "Tu perfil", "Your profile";
    language: "Idioma", "Language";
    save: "Guardar", "Save";
    saved: "Guardado.", "Saved.";
    change_password: "Cambiar la contraseña", "Change the password";
    current_password: "Contraseña actual", "Current password";
    password_changed: "Contraseña cambiada. Las demás sesiones se han cerrado.",
        "Password changed. Your other sessions have been signed out.";
    api_keys: "Claves de API", "API keys";
    api_keys_intro: "Para que otros programas (la intranet de tu empresa, un sistema de monitorización) usen Faro en tu nombre.",
        "So that other programs (your company's intranet, a monitoring system) can use Faro on your behalf.";
    key_name: "Nombre de la clave", "Key name";
    key_scope: "Permisos", "Permissions";
    scope_read: "Solo lectura", "Read only";
    scope_read_write: "Lectura y escritura", "Read and write";
    create_key: "Crear la clave", "Create the key";
    key_secret: "Cópiala ahora: no se volverá a mostrar.", "Copy it now: it will not be shown again.";
    revoke: "Revocar", "Revoke";
    revoked: "Revocada", "Revoked";
    no_keys: "Todavía no hay claves.", "There are no keys yet.";
    last_used: "Último uso", "Last used";
    // Roles and home
    role: "Rol", "Role";
    role_admin: "Administración", "Administrator";
    role_agent: "Agente de soporte", "Support agent";
    role_coordinator: "Coordinación", "Coordinator";
    role_member: "Miembro", "Member";
    home_member: "Desde aquí consultarás la base de conocimiento, tus incidencias y las descargas de tu empresa.",
        "From here you will read the knowledge base, your incidents and your company's downloads.";
    home_coordinator: "Gestiona quién de tu empresa usa el portal y comparte el código de invitación.",
        "Manage who in your company uses the portal and share the invitation code.";
    home_staff: "Gestiona las membresías de los clientes y sus personas.",
        "Manage the clients' memberships and their people.";
    // Memberships
    my_membership: "Mi empresa", "My company";
    memberships: "Membresías", "Memberships";
    new_membership: "Nueva membresía", "New membership";
    no_memberships: "Todavía no hay membresías.", "There are no memberships yet.";
    tax_id: "NIF / CIF", "Tax id";
    coordinator_email: "Correo del coordinador", "Coordinator's e-mail";
    contract_state: "Modalidad", "Terms";
    contract_contract: "Contrato de mantenimiento", "Maintenance contract";
    contract_subscription: "Suscripción", "Subscription";
    contract_lapsed: "Caducada", "Lapsed";
    code_valid_until: "El código funciona hasta el día (opcional)", "The code works until (optional)";
    activate_now: "Activarla ya y enviar el código al coordinador", "Activate it now and e-mail the code to the coordinator";
    create_membership: "Crear la membresía", "Create the membership";
    created: "Creada.", "Created.";
    state: "Estado", "State";
    active: "Activa", "Active";
    inactive: "Inactiva", "Inactive";
    person_active: "Activa", "Active";
    person_inactive: "Desactivada", "Deactivated";
    people_count: "Personas", "People";
    details: "Datos", "Details";
    activate: "Activar", "Activate";
    activate_intro: "Activarla envía el código de invitación al correo del coordinador.",
        "Activating it e-mails the invitation code to the coordinator.";
    deactivate: "Desactivar", "Deactivate";
    reactivate: "Reactivar", "Reactivate";
    confirm_deactivate_membership: "¿Desactivar esta membresía? Sus personas dejarán de poder entrar.",
        "Deactivate this membership? Its people will no longer be able to sign in.";
    invitation: "Código de invitación", "Invitation code";
    invitation_intro: "Comparte este código con las personas de tu empresa: lo escriben en «Unirse a tu empresa».",
        "Share this code with your company's people: they type it in \"Join your company\".";
    code_usable: "El código admite personas ahora mismo.", "The code admits people right now.";
    code_unusable: "El código no admite a nadie ahora mismo (membresía inactiva o código caducado).",
        "The code admits nobody right now (inactive membership or expired code).";
    code_expires: "Caduca el", "Expires on";
    code_no_expiry: "No caduca.", "It does not expire.";
    rotate_code: "Generar un código nuevo", "Generate a new code";
    confirm_rotate: "¿Generar un código nuevo? El actual dejará de funcionar.",
        "Generate a new code? The current one will stop working.";
    set_expiry: "Guardar la caducidad", "Save the expiry";
    people: "Personas", "People";
    no_people: "Todavía no se ha unido nadie.", "Nobody has joined yet.";
    last_sign_in: "Último acceso", "Last sign-in";
    make_coordinator: "Pasarle la coordinación", "Make coordinator";
    confirm_make_coordinator: "¿Pasar la coordinación a esta persona? Tú pasarás a ser miembro.",
        "Make this person the coordinator? You will become a member.";
    confirm_deactivate_person: "¿Desactivar a esta persona? Su sesión se cerrará en todas partes.",
        "Deactivate this person? They will be signed out everywhere.";
    you: "(tú)", "(you)";
    // Staff
    staff: "Personal", "Staff";
    new_staff: "Nueva cuenta de personal", "New staff account";
    new_staff_intro: "La persona recibe un correo para elegir su contraseña.",
        "The person gets an e-mail to choose their password.";
    create_staff: "Crear la cuenta", "Create the account";
    make_admin: "Hacer administrador", "Make administrator";
    make_agent: "Hacer agente", "Make agent";
    service_keys: "Claves de servicio", "Service keys";
    service_keys_intro: "Claves de API para integraciones, a nombre de una cuenta de personal.",
        "API keys for integrations, on behalf of a staff account.";
    key_owner: "Cuenta", "Account";
    // Knowledge base
    kb: "Base de conocimiento", "Knowledge base";
    kb_intro: "Guías, procedimientos y respuestas escritas para tu empresa.", "Guides, procedures and answers written for your company.";
    kind: "Tipo", "Kind";
    all_kinds: "Todos los tipos", "All kinds";
    kind_tutorial: "Tutorial", "Tutorial";
    kind_procedure: "Procedimiento", "Procedure";
    kind_faq: "Pregunta frecuente", "FAQ";
    kind_maintenance: "Mantenimiento", "Maintenance";
    category: "Categoría", "Category";
    all_categories: "Todas las categorías", "All categories";
    order: "Orden", "Order";
    order_newest: "Más recientes", "Newest";
    order_most_read: "Más leídos", "Most read";
    order_title: "Por título", "By title";
    no_articles: "No hay artículos con estos filtros.", "No articles match these filters.";
    updated: "Actualizado", "Updated";
    revision: "Revisión", "Revision";
    views: "Lecturas", "Reads";
    for_membership: "Solo para", "Only for";
    state_draft: "Borrador", "Draft";
    state_archived: "Archivado", "Archived";
    print: "Imprimir", "Print";
    back_to_kb: "Volver a la base de conocimiento", "Back to the knowledge base";
    tags: "Etiquetas", "Tags";
    state_published: "Publicado", "Published";
    all_states: "Todos los estados", "Every state";
    pdf: "Descargar PDF", "Download PDF";
    email_article: "Enviar por correo", "Send by e-mail";
    email_to: "Dirección de correo", "E-mail address";
    email_message: "Mensaje (opcional)", "Message (optional)";
    email_send: "Enviar", "Send";
    email_sent: "Enviado. Le llegará con el PDF adjunto.", "Sent. It arrives with the PDF attached.";
    cancel: "Cancelar", "Cancel";
    helpful_q: "¿Te ha resultado útil?", "Was this helpful?";
    yes: "Sí", "Yes";
    no: "No", "No";
    helpful_remark: "¿Qué le falta? (opcional)", "What is missing? (optional)";
    helpful_send: "Enviar opinión", "Send feedback";
    helpful_thanks: "Gracias por tu opinión.", "Thank you for your feedback.";
    comments: "Comentarios", "Comments";
    no_comments: "Todavía no hay comentarios.", "There are no comments yet.";
    comment_label: "Añadir un comentario", "Add a comment";
    comment_hint: "Puedes usar Markdown. Lo verán las personas de tu empresa y el equipo de soporte.",
        "You can use Markdown. People of your company and the support team will see it.";
    comment_send: "Publicar comentario", "Post comment";
    comment_hidden: "Oculto para los clientes", "Hidden from clients";
    hide: "Ocultar", "Hide";
    show: "Mostrar", "Show";
    new_article: "Nuevo artículo", "New article";
    edit: "Editar", "Edit";
    history: "Historial", "History";
    publish: "Publicar", "Publish";
    archive: "Archivar", "Archive";
    feedback_report: "Artículos menos útiles", "Least helpful articles";
    feedback_report_intro: "Los artículos con más respuestas «No» a «¿Te ha resultado útil?», para mejorarlos primero.",
        "The articles with the most «No» answers to «Was this helpful?», to improve first.";
    feedback_of: "Opiniones", "Feedback";
    helpful_count: "Útil", "Helpful";
    not_helpful_count: "No útil", "Not helpful";
    no_feedback: "Todavía no hay opiniones.", "There is no feedback yet.";
    title: "Título", "Title";
    summary: "Resumen", "Summary";
    body: "Contenido", "Content";
    body_hint: "En Markdown: ## títulos, - listas, | tablas |, `código`, [enlaces](https://…) e imágenes.",
        "In Markdown: ## headings, - lists, | tables |, `code`, [links](https://…) and images.";
    no_category: "Sin categoría", "No category";
    visible_for: "Visible para", "Visible to";
    every_client: "Todos los clientes", "Every client";
    tags_hint: "Separadas por comas, por ejemplo: vpn, red, teletrabajo", "Separated by commas, e.g. vpn, network, remote work";
    change_note: "Qué has cambiado (opcional)", "What you changed (optional)";
    preview: "Vista previa", "Preview";
    add_image: "Añadir una imagen", "Add an image";
    image_hint: "PNG, JPEG, GIF o WebP de hasta 5 MB. Se inserta en el contenido donde está el cursor.",
        "PNG, JPEG, GIF or WebP up to 5 MB. It goes into the content where the cursor is.";
    uploading: "Subiendo…", "Uploading…";
    image_added: "Imagen añadida al contenido.", "Image added to the content.";
    save_article: "Guardar", "Save";
    stale_title: "Alguien ha guardado otra versión mientras editabas", "Someone saved another version while you were editing";
    stale_see: "Ver sus cambios", "See their changes";
    stale_overwrite: "Guardar mis cambios encima", "Save my changes on top";
    new_category: "Nueva categoría", "New category";
    category_name: "Nombre de la categoría", "Category name";
    category_parent: "Dentro de", "Inside";
    category_top: "(ninguna: categoría principal)", "(none: a top-level category)";
    create: "Crear", "Create";
    compare: "Comparar", "Compare";
    restore: "Restaurar esta versión", "Restore this version";
    restore_q: "¿Restaurar esta versión como revisión nueva?", "Restore this version as a new revision?";
    no_differences: "No hay diferencias.", "There are no differences.";
    changes: "Cambios", "Changes";
    author: "Autor", "Author";
    note: "Nota", "Note";
    current: "actual", "current";
    field_title: "Título", "Title";
    field_summary: "Resumen", "Summary";
    field_kind: "Tipo", "Kind";
    field_state: "Estado", "State";
    field_tags: "Etiquetas", "Tags";
    // Search
    search: "Buscar", "Search";
    search_title: "Buscar", "Search";
    search_label: "Buscar en el portal", "Search the portal";
    search_placeholder: "Buscar artículos, incidencias, descargas…", "Search articles, incidents, downloads…";
    suggestions: "Sugerencias", "Suggestions";
    search_type: "Tipo de resultado", "Result type";
    search_everything: "Todo", "Everything";
    search_none: "No hay resultados.", "No results.";
    search_count: "{} resultados", "{} results";
    search_relaxed: "Ninguno tiene todas las palabras: estos tienen algunas.", "None has every word: these have some.";
    search_fell_back: "Hemos buscado las palabras sueltas.", "We searched for the words one by one.";
    type_article: "Artículo", "Article";
    type_incident: "Incidencia", "Incident";
    type_download: "Descarga", "Download";
    type_resource: "Recurso", "Resource";
    // Audit
    audit: "Registro de actividad", "Activity log";
    audit_intro: "Quién hizo qué y cuándo, lo más reciente primero.", "Who did what and when, most recent first.";
    when: "Cuándo", "When";
    who: "Quién", "Who";
    what: "Qué", "What";
    subject: "Sobre", "About";
    address: "Dirección IP", "IP address";
    via_key: "con clave de API", "with an API key";
    no_events: "Todavía no hay actividad.", "There is no activity yet.";
    // Incidents
    incidents: "Incidencias", "Incidents";
    inc_queue: "Cola de incidencias", "Incident queue";
    inc_list_intro: "Todas las incidencias de tu empresa: puedes leerlas y participar en cualquiera.",
        "Every incident of your company: you can read and join any of them.";
    inc_queue_intro: "Las incidencias abiertas de todos los clientes, la que vence antes primero.",
        "Open incidents of every client, the one due soonest first.";
    inc_new: "Abrir una incidencia", "Open an incident";
    inc_none: "No hay incidencias con estos filtros.", "No incidents match these filters.";
    inc_filter: "Filtrar", "Filter";
    inc_text: "Texto o número", "Text or number";
    inc_any_state: "Cualquier estado", "Any state";
    inc_open_ones: "Abiertas", "Open";
    inc_any_priority: "Cualquier prioridad", "Any priority";
    inc_mine: "Solo las que abrí yo", "Only the ones I opened";
    inc_assigned_to_me: "Solo las asignadas a mí", "Only the ones assigned to me";
    inc_order: "Orden", "Order";
    inc_order_recent: "Actividad reciente", "Recent activity";
    inc_order_due: "Vencimiento", "Due time";
    priority: "Prioridad", "Priority";
    prio_high: "Alta", "High";
    prio_medium: "Media", "Medium";
    prio_low: "Baja", "Low";
    st_new: "Nueva", "New";
    st_in_progress: "En curso", "In progress";
    st_waiting_client: "Esperando al cliente", "Waiting for the client";
    st_resolved: "Resuelta", "Resolved";
    st_closed: "Cerrada", "Closed";
    esc_first_line: "Primer nivel", "First line";
    esc_remote: "Conexión remota", "Remote connection";
    esc_on_site: "Visita en sus instalaciones", "On-site visit";
    sla_ok: "En plazo", "On time";
    sla_due_soon: "Vence en menos de una hora", "Due within the hour";
    sla_breached: "Plazo superado", "Past due";
    sla_stopped: "Reloj parado", "Clock stopped";
    inc_first_response_due: "Primera respuesta antes de", "First answer due";
    inc_resolution_due: "Resolución antes de", "Resolution due";
    inc_answered_at: "Primera respuesta", "First answered";
    inc_opened_by: "Abierta por", "Opened by";
    inc_updated: "Última actividad", "Last activity";
    inc_assignee: "Asignada a", "Assigned to";
    inc_unassigned: "Sin asignar", "Unassigned";
    inc_system: "Sistema afectado", "Affected system";
    inc_system_hint: "Opcional: el equipo, programa o servicio que falla.", "Optional: the machine, program or service that fails.";
    inc_company: "Empresa", "Company";
    inc_title_hint: "Una frase que diga qué pasa: «No se imprimen las facturas».", "One sentence saying what happens: “Invoices do not print”.";
    inc_maybe: "¿Es esto lo que buscas?", "Is this what you are looking for?";
    inc_description: "Descripción", "Description";
    inc_description_hint: "Qué pasa, desde cuándo y qué has probado. Admite Markdown.", "What happens, since when and what you tried. Markdown works.";
    inc_open_send: "Abrir la incidencia", "Open the incident";
    inc_opening: "Enviando…", "Sending…";
    files: "Archivos", "Files";
    files_drop: "Arrastra aquí capturas, fotos o vídeos, o", "Drag screenshots, photos or videos here, or";
    files_choose: "elige archivos", "choose files";
    files_remove: "Quitar", "Remove";
    inc_follow: "Seguir", "Follow";
    inc_unfollow: "Dejar de seguir", "Stop following";
    inc_following: "Recibes un correo con cada novedad.", "You get an e-mail about every change.";
    inc_timeline: "Historial", "Timeline";
    inc_internal: "Nota interna", "Internal note";
    inc_internal_check: "Nota interna: el cliente no la verá", "Internal note: the client will not see it";
    inc_reply: "Responder", "Reply";
    inc_reply_send: "Enviar la respuesta", "Send the reply";
    inc_note_send: "Guardar la nota interna", "Save the internal note";
    inc_close: "Confirmar la solución y cerrar", "Confirm the fix and close";
    inc_close_q: "¿Cerrar la incidencia? Confirmas que está solucionada.", "Close the incident? You confirm it is fixed.";
    inc_reopen: "Reabrir", "Reopen";
    inc_reopen_q: "¿Reabrir la incidencia? Explica en una respuesta qué sigue fallando.", "Reopen the incident? Say in a reply what still fails.";
    inc_resolved_note: "El soporte la da por resuelta. Si está solucionada, ciérrala; si no, reábrela.",
        "Support consider it solved. If it is fixed, close it; if not, reopen it.";
    inc_remark: "Comentario (opcional)", "Remark (optional)";
    inc_solution: "Solución", "Solution";
    ev_opened: "Abrió la incidencia", "Opened the incident";
    ev_comment: "Respondió", "Replied";
    ev_note: "Nota interna", "Internal note";
    ev_state: "Estado", "State";
    ev_priority: "Prioridad", "Priority";
    ev_assigned: "Asignación", "Assignment";
    ev_closed: "Cerró la incidencia", "Closed the incident";
    ev_reopened: "Reabrió la incidencia", "Reopened the incident";
    ev_auto_closed: "Cerrada automáticamente tras días resuelta", "Closed automatically after days resolved";
    ev_remote_requested: "Pidió una conexión remota", "Asked for a remote connection";
    ev_remote_authorised: "Autorizó la conexión remota", "Authorised the remote connection";
    ev_remote_refused: "Rechazó la conexión remota", "Refused the remote connection";
    ev_remote_started: "Se conectó en remoto", "Connected remotely";
    ev_visit: "Programó una visita", "Scheduled a visit";
    ev_visit_report: "Informe de la visita", "Visit report";
    ev_solution: "Enlazó la solución", "Linked the solution";
    ev_other: "Cambio", "Change";
    remote_title: "Conexión remota", "Remote connection";
    remote_ask: "El soporte pide conectarse en remoto", "Support ask to connect remotely";
    remote_purpose: "Para qué", "What for";
    remote_tool: "Herramienta", "Tool";
    remote_window: "Cuándo", "When";
    remote_authorise: "Autorizar la conexión", "Authorise the connection";
    remote_refuse: "Rechazar", "Refuse";
    remote_refuse_q: "¿Rechazar la conexión remota?", "Refuse the remote connection?";
    remote_pending: "Esperando respuesta", "Waiting for an answer";
    remote_authorised: "Autorizada", "Authorised";
    remote_refused: "Rechazada", "Refused";
    remote_started: "Conectado", "Connected";
    remote_answered: "Respondió {} el {}", "Answered by {} on {}";
    remote_from: "desde", "from";
    remote_request: "Pedir una conexión remota", "Ask for a remote connection";
    remote_start: "Empezar la conexión", "Start the connection";
    visits: "Visitas", "Visits";
    visit_when: "Fecha y hora", "Date and time";
    visit_bad_time: "Escribe la fecha y la hora de la visita.", "Type the visit's date and time.";
    visit_technician: "Técnico", "Technician";
    visit_address: "Dirección", "Address";
    visit_ics: "Añadir al calendario (.ics)", "Add to the calendar (.ics)";
    visit_schedule: "Programar una visita", "Schedule a visit";
    visit_report: "Informe de la visita", "Visit report";
    visit_report_save: "Guardar el informe", "Save the report";
    staff_work: "Gestión", "Handling";
    inc_change_state: "Cambiar el estado", "Change the state";
    inc_change_priority: "Cambiar la prioridad", "Change the priority";
    inc_assign: "Asignar", "Assign";
    inc_assign_me: "Asignármela", "Assign it to me";
    triage: "Clasificación", "Triage";
    triage_articles: "Artículos que coinciden", "Matching articles";
    triage_similar: "Incidencias parecidas ya resueltas", "Similar resolved incidents";
    triage_none: "Nada parecido.", "Nothing alike.";
    solution_link: "Enlazar como solución", "Link as the solution";
    solution_article: "Artículo (slug o dirección /kb/…)", "Article (slug or /kb/… address)";
    draft_article: "Crear un borrador de artículo con esta incidencia", "Make a draft article from this incident";
    draft_made: "Borrador creado:", "Draft made:";
    // Downloads
    downloads: "Descargas", "Downloads";
    dl_intro: "Documentos, plantillas y versiones de software publicados para tu empresa. Descárgalos tantas veces como quieras.",
        "Documents, templates and software versions published for your company. Download them as often as you like.";
    dl_staff_intro: "Lo que se publica para los clientes: para todos o solo para las membresías elegidas.",
        "What is published for clients: for all of them or only for chosen memberships.";
    dl_new_since: "Novedades desde tu última visita: {}", "New since your last visit: {}";
    dl_badge_new: "Nuevo", "New";
    dl_empty: "Todavía no hay descargas publicadas.", "Nothing has been published yet.";
    dl_kind_document: "Documento", "Document";
    dl_kind_template: "Plantilla", "Template";
    dl_kind_software: "Software", "Software";
    dl_state_current: "Vigente", "Current";
    dl_state_superseded: "Anterior", "Superseded";
    dl_state_withdrawn: "Retirada", "Withdrawn";
    dl_new: "Nueva descarga", "New download";
    dl_edit: "Editar la descarga", "Edit the download";
    dl_no_version: "Sin versiones publicadas: los clientes aún no la ven.", "No version published: clients do not see it yet.";
    dl_for_all: "Todos los clientes", "Every client";
    dl_for_some: "Solo las membresías marcadas", "Only the memberships ticked";
    dl_audience: "Publicado para", "Published for";
    dl_latest: "Descargar la última versión", "Download the latest version";
    dl_versions: "Versiones", "Versions";
    dl_version: "Versión", "Version";
    dl_published: "Publicada el {} por {}", "Published on {} by {}";
    dl_download: "Descargar", "Download";
    dl_you_fetched: "La descargaste el {}", "You downloaded it on {}";
    dl_withdrawn_because: "Retirada el {}: {}", "Withdrawn on {}: {}";
    dl_withdraw: "Retirar esta versión", "Withdraw this version";
    dl_withdraw_reason: "Motivo (lo verá quien siga el enlace)", "Reason (shown to whoever follows the link)";
    dl_withdraw_send: "Retirar", "Withdraw";
    dl_reinstate: "Restablecer", "Reinstate";
    dl_publish: "Publicar una versión", "Publish a version";
    dl_label_hint: "Por ejemplo 3.10, 2024.3 o 2.0-rc1. Se ordenan como se leen: la 1.10 va después de la 1.9.",
        "For example 3.10, 2024.3 or 2.0-rc1. They sort as people read them: 1.10 comes after 1.9.";
    dl_notes: "Notas de la versión (Markdown)", "Release notes (Markdown)";
    dl_file: "Archivo", "File";
    dl_publish_send: "Subir y publicar", "Upload and publish";
    dl_publishing: "Subiendo…", "Uploading…";
    dl_published_ok: "Versión publicada.", "Version published.";
    dl_stats: "Quién la ha descargado", "Who has downloaded it";
    dl_total: "Descargas en total: {}", "Downloads in all: {}";
    dl_count: "descargas: {} · personas: {}", "downloads: {} · people: {}";
    dl_missing: "Aún no tienen la versión vigente", "Do not have the current version yet";
    dl_missing_none: "Todas las personas de las membresías destinatarias la han descargado.",
        "Everyone in the memberships it is for has downloaded it.";
    dl_description: "Descripción (Markdown)", "Description (Markdown)";
    dl_markdown_hint: "Admite Markdown: **negrita**, listas, enlaces.", "Markdown works: **bold**, lists, links.";
    dl_title_field: "Título", "Title";
    dl_category_hint: "Por ejemplo Aplicaciones, Manuales o Plantillas. Se agrupan por categoría.",
        "For example Applications, Manuals or Templates. Downloads are grouped by category.";
    dl_others: "Otros", "Others";
    sha256: "SHA-256", "SHA-256";
    // Resources
    resources: "Recursos", "Resources";
    res_intro: "Herramientas gratuitas que consideramos útiles y seguras. Descárgalas siempre desde su web oficial o desde la copia que alojamos aquí.",
        "Free tools we consider useful and safe. Always download them from their official site or from the copy we host here.";
    res_empty: "El catálogo está vacío por ahora.", "The catalogue is empty for now.";
    res_new: "Nuevo recurso", "New resource";
    res_edit: "Editar el recurso", "Edit the resource";
    res_official: "Web oficial", "Official site";
    res_hosted: "Copia alojada aquí", "Copy hosted here";
    res_hosted_version: "versión {}", "version {}";
    res_checked_on: "Comprobado el {}", "Checked on {}";
    res_checked_today: "Comprobado hoy", "Checked today";
    res_never_checked: "Sin comprobar", "Not checked";
    res_check: "Marcar como comprobado hoy", "Mark as checked today";
    res_delete: "Eliminar del catálogo", "Remove from the catalogue";
    res_delete_confirm: "¿Eliminar este recurso del catálogo? Su copia alojada también se borra.",
        "Remove this resource from the catalogue? Its hosted copy is deleted too.";
    res_name: "Nombre", "Name";
    res_url: "Web oficial (https://…)", "Official site (https://…)";
    res_file: "Copia alojada (opcional)", "Hosted copy (optional)";
    res_file_kept: "Si no eliges otro archivo se mantiene {}.", "Unless you choose another file, {} stays.";
    res_remove_file: "Dejar de alojar la copia", "Stop hosting the copy";
    res_version: "Versión de la copia alojada", "Version of the hosted copy";
    res_checked_field: "Comprobado el día (opcional)", "Checked on (optional)";
    res_filter: "Buscar en el catálogo", "Search the catalogue";
    res_back: "Todos los recursos", "All resources";
}

/// A text of the catalogue, looked up when shown (so it follows the language).
pub type Label = fn() -> &'static str;

/// The texts of the language in force (reactive).
pub fn t() -> &'static Texts {
    texts(
        use_context::<Language>()
            .map(|l| l.0.get())
            .unwrap_or_default(),
    )
}

/// The same without tracking (for messages built outside the view).
pub fn t_untracked() -> &'static Texts {
    texts(Language::current())
}

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    }
}

fn locale() -> &'static str {
    match use_context::<Language>()
        .map(|l| l.0.get())
        .unwrap_or_default()
    {
        Lang::Es => "es-ES",
        Lang::En => "en-GB",
    }
}

fn format(at: &DateTime<Utc>, with_time: bool) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    set("dateStyle", "medium");
    if with_time {
        set("timeStyle", "short");
    }
    date.to_locale_string(locale(), &options).into()
}

/// A moment in the person's language and time zone: "1 dic 2026, 10:30" (reactive).
pub fn date_time(at: &DateTime<Utc>) -> String {
    format(at, true)
}

/// A day in the person's language: "1 dic 2026" (reactive).
pub fn date(at: &DateTime<Utc>) -> String {
    format(at, false)
}

/// A count in the person's language ("1.234" in Spanish).
pub fn number(n: u64) -> String {
    js_sys::Number::from(n as f64)
        .to_locale_string(locale())
        .into()
}

/// A size in bytes as people read it: "1,2 MB" in Spanish (reactive).
pub fn file_size(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 30 => (b as f64 / (1u64 << 30) as f64, "GB"),
        b if b >= 1 << 20 => (b as f64 / (1u64 << 20) as f64, "MB"),
        b if b >= 1 << 10 => (b as f64 / 1024.0, "KB"),
        b => return format!("{} B", number(b)),
    };
    let n = format!("{value:.1}");
    let n = if locale() == "es-ES" {
        n.replace('.', ",")
    } else {
        n
    };
    format!("{n} {unit}")
}

/// A text with `{}` holes filled in order.
pub fn fill(text: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    for v in values {
        match rest.split_once("{}") {
            Some((before, after)) => {
                out.push_str(before);
                out.push_str(v);
                rest = after;
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}
