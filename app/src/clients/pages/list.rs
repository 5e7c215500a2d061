use crate::auth::types::{Permission, SessionInfo};
use crate::clients::api::{clinician_options, search_clients};
use crate::clients::types::{ClientQuery, ClientSort, ClientStatus, ClientSummary};
use crate::fields::format_phone;
use crate::ui::feedback::{EmptyState, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// The client list: search as you type (name with typos, date of birth, phone, email or chart number),
/// filter by status. The search lives in the address, so the back button and bookmarks work.
#[component]
pub fn ClientListPage() -> impl IntoView {
    let info = expect_context::<SessionInfo>();
    let can_create = info.user.role.can(Permission::EditClientDemographics);
    let see_all = info.user.role.can(Permission::ViewAllClients);
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|q| ClientQuery {
            q: q.get("q").unwrap_or_default(),
            status: q.get("status").and_then(|s| ClientStatus::parse(&s).ok()),
            clinician_id: q.get("clinician").and_then(|c| c.parse().ok()),
            sort: ClientSort::parse(&q.get("sort").unwrap_or_default()),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        })
    });
    let results = Resource::new(move || query.get(), search_clients);

    // every change of search, filter or order goes into the address (and back to the first page)
    let navigate = use_navigate();
    let set_param = move |key: &'static str, value: String| {
        let mut params = query_map.get_untracked();
        params.remove("page");
        if value.trim().is_empty() {
            params.remove(key);
        } else {
            params.replace(key, value.trim().to_owned());
        }
        navigate(
            &format!("/clients{}", params.to_query_string()),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    };
    // typing updates the address a moment after the last key
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let type_search = {
        let set_param = set_param.clone();
        move |q: String| {
            if let Some(Some(h)) = pending.try_get_value() {
                h.clear();
            }
            let set_param = set_param.clone();
            let handle = set_timeout_with_handle(
                move || set_param("q", q),
                std::time::Duration::from_millis(250),
            );
            pending.set_value(handle.ok());
        }
    };
    let clinicians = Resource::new(
        move || see_all,
        |all| async move {
            if all {
                clinician_options().await
            } else {
                Ok(Vec::new())
            }
        },
    );

    view! {
        <Title text="Clients · MentalSpace EHR"/>
        <div class="page-head">
            <h1>"Clients"</h1>
            {can_create.then(|| view! { <A href="/clients/new" attr:class="btn btn-primary">"New client"</A> })}
        </div>
        <form class="filters card" role="search" aria-label="Find clients" on:submit=|ev| ev.prevent_default()>
            <div class="field field-grow">
                <label for="client-search">"Search"</label>
                <input id="client-search" type="search" name="q" autocomplete="off"
                    placeholder="Name, date of birth, phone, email or chart number"
                    prop:value=move || query.with(|q| q.q.clone())
                    on:input=move |ev| type_search(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="client-status">"Status"</label>
                <select id="client-status" on:change={
                    let set_param = set_param.clone();
                    move |ev| set_param("status", event_target_value(&ev))
                }>
                    <option value="">"Any status"</option>
                    {ClientStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || query.with(|q| q.status == Some(s))>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            {see_all.then(|| {
                let set_param = set_param.clone();
                view! {
                    <div class="field">
                        <label for="client-clinician">"Clinician"</label>
                        <select id="client-clinician" on:change=move |ev| set_param("clinician", event_target_value(&ev))>
                            <option value="">"Any clinician"</option>
                            <Suspense>
                                {move || Suspend::new(async move {
                                    clinicians.await.map(|list| list.into_iter().map(|c| {
                                        let id = c.id;
                                        view! {
                                            <option value=id.to_string() selected=move || query.with(|q| q.clinician_id == Some(id))>
                                                {c.display_name}
                                            </option>
                                        }
                                    }).collect_view())
                                })}
                            </Suspense>
                        </select>
                    </div>
                }
            })}
            <div class="field">
                <label for="client-sort">"Order"</label>
                <select id="client-sort" on:change={
                    let set_param = set_param.clone();
                    move |ev| set_param("sort", event_target_value(&ev))
                }>
                    {ClientSort::ALL.into_iter().map(|o| view! {
                        <option value=o.as_str() selected=move || query.with(|q| q.sort == o)>{o.label()}</option>
                    }).collect_view()}
                </select>
            </div>
        </form>
        <section class="card" aria-live="polite">
            <Transition fallback=|| view! { <Loading label="Searching…"/> }>
                {move || Suspend::new(async move {
                    results.await.map(|page| {
                        if page.rows.is_empty() {
                            return view! {
                                <EmptyState>
                                    {if query.with_untracked(|q| q.q.trim().is_empty() && q.status.is_none()) {
                                        "No clients yet."
                                    } else {
                                        "No clients match. Check the spelling, or search by date of birth or phone."
                                    }}
                                </EmptyState>
                            }.into_any();
                        }
                        let next = page.has_more.then(|| query.get_untracked().page + 1);
                        view! {
                            <ClientTable rows=page.rows/>
                            {next.map(|p| {
                                let mut q = query_map.get_untracked();
                                q.replace("page", p.to_string());
                                view! { <A href=format!("/clients{}", q.to_query_string()) attr:class="btn">"More clients →"</A> }
                            })}
                        }.into_any()
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ClientTable(rows: Vec<ClientSummary>) -> impl IntoView {
    view! {
        <table class="table">
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Date of birth"</th><th scope="col">"Chart #"</th>
                <th scope="col">"Status"</th><th scope="col">"Clinician"</th><th scope="col">"Mobile"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|c| {
                    let href = format!("/clients/{}", c.id);
                    let name = c.display_name();
                    view! {
                    <tr>
                        <td>
                            <A href=href>{name}</A>
                            {c.alert_badge().map(|(severity, text)| view! {
                                " "<span class=format!("flag flag-{severity} flag-badge") title="Alerts on the chart">{text}</span>
                            })}
                        </td>
                        <td>{c.date_of_birth.format("%m/%d/%Y").to_string()}</td>
                        <td>{c.chart_number.clone()}</td>
                        <td><span class=format!("status status-{}", c.status.as_str())>{c.status.label()}</span></td>
                        <td>{c.primary_clinician_name.clone().unwrap_or_else(|| "—".into())}</td>
                        <td>{c.phone_mobile.as_deref().map(format_phone).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
    }
}
