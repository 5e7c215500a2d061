//! A client's access report (administrators): every recorded access to the record over a period,
//! whether the audit trail verified, and the same as a PDF for release.

use crate::audit::api::client_access_report;
use crate::audit::types::AccessReport;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The period shown when none is asked for: the last 30 days.
const DEFAULT_DAYS: i64 = 30;

#[component]
pub fn AccessReportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let today = crate::ui::clock::practice_clock()();
    let asked = move |key: &str, default: chrono::NaiveDate| {
        query
            .with(|q| q.get(key).filter(|v| !v.trim().is_empty()))
            .unwrap_or_else(|| default.format("%Y-%m-%d").to_string())
    };
    let period = Memo::new(move |_| {
        (
            asked("from", today - chrono::Duration::days(DEFAULT_DAYS)),
            asked("to", today),
        )
    });
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let report = Resource::new(
        move || (id.get(), period.get()),
        |(id, (from, to))| async move {
            let id = id.parse().map_err(|_| crate::error::AppError::NotFound)?;
            client_access_report(id, from, to).await
        },
    );
    view! {
        <Title text="Access report · MentalSpace EHR"/>
        <h1>"Access report"</h1>
        <form class="filters card" method="get" action=move || format!("/clients/{}/access-report", id.get())
            aria-label="Period of the report">
            <div class="field"><label for="r-from">"From"</label>
                <input id="r-from" name="from" type="date" value=move || period.get().0 required/></div>
            <div class="field"><label for="r-to">"To"</label>
                <input id="r-to" name="to" type="date" value=move || period.get().1 required/></div>
            <div class="filter-actions">
                <button type="submit" class="btn btn-primary">"Show"</button>
                <a class="btn" rel="external" href=move || {
                    let (from, to) = period.get();
                    format!("/audit/clients/{}/access-report.pdf?from={from}&to={to}", id.get())
                }>"Download as PDF"</a>
            </div>
        </form>
        <Suspense fallback=|| view! { <Loading label="Reading the audit trail…"/> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <Report report/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(report: AccessReport) -> impl IntoView {
    let chain_class = if report.chain.verified {
        "notice notice-success"
    } else {
        "notice notice-error"
    };
    let emergencies = report.rows.iter().filter(|r| r.emergency).count();
    view! {
        <section class="card" aria-labelledby="report-title">
            <h2 id="report-title">
                <A href=format!("/clients/{}", report.client_id)>{report.client_name.clone()}</A>
                {format!(" · chart {} · {}", report.chart_number, report.period)}
            </h2>
            <p class=chain_class role="status">{report.chain.summary.clone()}</p>
            <p>{format!(
                "{} recorded accesses, {} of them under emergency access.",
                report.rows.len(),
                emergencies
            )}</p>
            {if report.rows.is_empty() {
                view! { <EmptyState>"No access was recorded in this period."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table table-dense">
                        <caption class="sr-only">"Every recorded access to the record, oldest first"</caption>
                        <thead><tr>
                            <th scope="col">"#"</th><th scope="col">"When"</th><th scope="col">"Who"</th>
                            <th scope="col">"Role"</th><th scope="col">"What"</th><th scope="col">"Outcome"</th>
                            <th scope="col">"Emergency"</th><th scope="col">"From (IP)"</th>
                        </tr></thead>
                        <tbody>
                            {report.rows.into_iter().map(|r| view! {
                                <tr class:row-emergency=r.emergency data-event=r.id.to_string()>
                                    <td>{r.id.to_string()}</td>
                                    <td>{r.when}</td>
                                    <td>{r.who}</td>
                                    <td>{r.role}</td>
                                    <td>{r.what}</td>
                                    <td>{r.outcome}</td>
                                    <td>{if r.emergency { "Yes" } else { "" }}</td>
                                    <td>{r.ip.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
