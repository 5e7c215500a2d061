use crate::audit::api::list_events;
use crate::audit::types::{AuditFilter, AuditRow};
use crate::ui::feedback::{EmptyState, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The audit trail, filtered by the query string (so a filtered view can be bookmarked and shared).
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
            AuditFilter {
                actor_email: text("user"),
                client_id: text("client").and_then(|v| v.parse().ok()),
                action: text("action"),
                from: text("from").and_then(|v| v.parse().ok()),
                to: text("to").and_then(|v| v.parse().ok()),
                before_id: text("before").and_then(|v| v.parse().ok()),
            }
        })
    });
    let page = Resource::new(move || filter.get(), list_events);
    let value = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());

    view! {
        <Title text="Audit log · MentalSpace EHR"/>
        <h1>"Audit log"</h1>
        <form class="filters card" method="get" action="/admin/audit" role="search" aria-label="Filter the audit log">
            <div class="field"><label for="f-user">"User email"</label><input id="f-user" name="user" type="text" prop:value=move || value("user")/></div>
            <div class="field"><label for="f-client">"Client ID"</label><input id="f-client" name="client" type="text" prop:value=move || value("client")/></div>
            <div class="field"><label for="f-action">"Action starts with"</label><input id="f-action" name="action" type="text" placeholder="auth." prop:value=move || value("action")/></div>
            <div class="field"><label for="f-from">"From"</label><input id="f-from" name="from" type="date" prop:value=move || value("from")/></div>
            <div class="field"><label for="f-to">"To"</label><input id="f-to" name="to" type="date" prop:value=move || value("to")/></div>
            <div class="filter-actions">
                <button type="submit" class="btn btn-primary">"Filter"</button>
                <a class="btn btn-quiet" href="/admin/audit">"Clear"</a>
            </div>
        </form>
        <section class="card">
            <Suspense fallback=|| view! { <Loading label="Loading events…"/> }>
                {move || Suspend::new(async move {
                    page.await.map(|page| {
                        let next = page.next_before_id.map(|id| {
                            let mut q = query.get_untracked();
                            q.replace("before", id.to_string());
                            format!("/admin/audit{}", q.to_query_string())
                        });
                        view! {
                            {if page.rows.is_empty() {
                                view! { <EmptyState>"No events match these filters."</EmptyState> }.into_any()
                            } else {
                                view! { <AuditTable rows=page.rows/> }.into_any()
                            }}
                            {next.map(|href| view! { <a class="btn" href=href>"Older events →"</a> })}
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    view! {
        <table class="table table-dense">
            <thead><tr>
                <th scope="col">"#"</th><th scope="col">"When (UTC)"</th><th scope="col">"User"</th><th scope="col">"Action"</th>
                <th scope="col">"Record"</th><th scope="col">"Client"</th><th scope="col">"Address"</th><th scope="col">"Outcome"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td>{r.id}</td>
                        <td>{r.occurred_at.format("%Y-%m-%d %H:%M:%S UTC").to_string()}</td>
                        <td>{r.actor_email.unwrap_or_else(|| "—".into())}</td>
                        <td><code>{r.action}</code></td>
                        <td>{record_cell(r.entity_type, r.entity_id)}</td>
                        <td>{r.client_id.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td>{r.ip.unwrap_or_else(|| "—".into())}</td>
                        <td><span class=format!("outcome outcome-{}", r.outcome)>{r.outcome.clone()}</span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// "session 33f6ca9f…" with the whole id on hover: ids are long and rarely read in full.
fn record_cell(entity_type: Option<String>, entity_id: Option<String>) -> impl IntoView {
    match (entity_type, entity_id) {
        (Some(t), Some(id)) => {
            let short: String = id.chars().take(8).collect();
            let label = if short.len() < id.len() {
                format!("{t} {short}…")
            } else {
                format!("{t} {id}")
            };
            view! { <span title=id>{label}</span> }.into_any()
        }
        _ => "—".into_any(),
    }
}
