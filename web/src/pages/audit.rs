//! The audit log (administrators): who did what and when, newest first, page by page.

use faro_types::audit::AuditEvent;
use leptos::prelude::*;

use crate::components::{Pages, PagesFooter};
use crate::i18n::{date_time, t};

#[component]
pub fn Audit() -> impl IntoView {
    let pages = Pages::<AuditEvent>::new(|| "/api/v1/audit-events".to_string());
    view! {
        <h1>{move || t().audit}</h1>
        <p>{move || t().audit_intro}</p>
        <div class="table-wrap">
            <table role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        <th scope="col" role="columnheader">{move || t().when}</th>
                        <th scope="col" role="columnheader">{move || t().who}</th>
                        <th scope="col" role="columnheader">{move || t().what}</th>
                        <th scope="col" role="columnheader">{move || t().subject}</th>
                        <th scope="col" role="columnheader">{move || t().address}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    <For each=move || pages.items.get() key=|e| e.id let:e>
                        <tr role="row">
                            <td role="cell" data-label=move || t().when>{move || date_time(&e.at)}</td>
                            <td role="cell" data-label=move || t().who>{e.actor_email.clone().unwrap_or_else(|| t().none.to_string())}</td>
                            <td role="cell" data-label=move || t().what>
                                {e.action_label.clone()}
                                {e.api_key_id.map(|_| view! { " ("{move || t().via_key}")" })}
                            </td>
                            <td role="cell" data-label=move || t().subject>{e.subject.clone()}</td>
                            <td role="cell" data-label=move || t().address>{e.ip.clone().unwrap_or_else(|| t().none.to_string())}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <PagesFooter pages=pages empty=|| t().no_events/>
    }
}
