use crate::auth::api::{
    list_users, mfa_policy, ChangeRole, CreateUser, MfaReset, SetMfaPolicy, SetUserActive,
};
use crate::auth::types::{Role, UserSummary};
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, successes, Field};

use leptos::prelude::*;
use leptos_meta::Title;

/// Staff accounts (admin only; the server refuses everyone else).
#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let change_role = ServerAction::<ChangeRole>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<MfaReset>::new();
    let reset_saved = successes(reset.value());
    let create_saved = successes(create.value());
    let change_role_saved = successes(change_role.value());
    let set_active_saved = successes(set_active.value());
    let users = Resource::new(
        move || {
            (
                create_saved.get(),
                change_role_saved.get(),
                set_active_saved.get(),
                reset_saved.get(),
            )
        },
        |_| list_users(),
    );
    let row_error = Signal::derive(move || {
        let role_error = change_role.value().get().and_then(Result::err);
        role_error
            .or_else(|| set_active.value().get().and_then(Result::err))
            .or_else(|| reset.value().get().and_then(Result::err))
    });

    view! {
        <Title text="Users · MentalSpace EHR"/>
        <h1>"Users"</h1>
        <div class="grid-2 grid-wide-left">
            <section class="card" aria-labelledby="users-title">
                <h2 id="users-title">"Staff accounts"</h2>
                {move || row_error.get().map(|error| view! { <ErrorNotice error/> })}
                <Suspense fallback=|| view! { <Loading label="Loading users…"/> }>
                    {move || Suspend::new(async move {
                        users.await.map(|list| {
                            if list.is_empty() {
                                return view! { <EmptyState>"No accounts yet."</EmptyState> }.into_any();
                            }
                            view! {
                                <table class="table">
                                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Status"</th><th scope="col">"Two-step"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|u| view! { <UserRow user=u change_role set_active reset/> }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        })
                    })}
                </Suspense>
            </section>
            <div class="stack">
                <NewUserForm create/>
                <TwoStepPolicy/>
            </div>
        </div>
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    change_role: ServerAction<ChangeRole>,
    set_active: ServerAction<SetUserActive>,
    reset: ServerAction<MfaReset>,
) -> impl IntoView {
    let id = user.id;
    let select_id = format!("role-{id}");
    let status = if !user.active {
        "Deactivated"
    } else if user.locked {
        "Locked"
    } else if user.must_change_password {
        "Awaiting first sign-in"
    } else {
        "Active"
    };
    let active = user.active;
    view! {
        <tr class:row-inactive=!active data-email=user.email.clone()>
            <td>{user.display_name.clone()}</td>
            <td>{user.email.clone()}</td>
            <td>
                <label class="sr-only" for=select_id.clone()>{format!("Role of {}", user.display_name)}</label>
                <select id=select_id on:change=move |ev| {
                    change_role.dispatch(ChangeRole { user_id: id, role: event_target_value(&ev) });
                }>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=r == user.role>{r.label()}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>{status}</td>
            <td>
                {if user.mfa_enabled {
                    let name = user.display_name.clone();
                    view! {
                        <span class="tag">"On"</span>" "
                        <button class="btn btn-small" aria-label=format!("Reset two-step sign-in of {name}")
                            on:click=move |_| {
                                let sure = confirm_in_browser(&format!(
                                    "Reset two-step sign-in of {name}? Their sessions end and they set up a new authenticator at their next sign-in."));
                                if sure { reset.dispatch(MfaReset { user_id: id }); }
                            }>
                            "Reset"
                        </button>
                    }.into_any()
                } else {
                    view! { <span class="muted">"Off"</span> }.into_any()
                }}
            </td>
            <td>
                <button class="btn btn-small" class:btn-danger=active
                    on:click=move |_| { set_active.dispatch(SetUserActive { user_id: id, active: !active }); }>
                    {if active { "Deactivate" } else { "Reactivate" }}
                </button>
            </td>
        </tr>
    }
}

#[component]
fn NewUserForm(create: ServerAction<CreateUser>) -> impl IntoView {
    let result = create.value();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if let (Some(Ok(_)), Some(form)) = (result.get(), form_ref.get()) {
            form.reset();
        }
    });
    view! {
        <section class="card" aria-labelledby="new-user-title">
            <h2 id="new-user-title">"Add a user"</h2>
            <ActionForm action=create node_ref=form_ref attr:novalidate="true">
                <Field label="Full name" name="display_name" required=true errors=field_errors(result, "display_name")/>
                <Field label="Email" name="email" kind="email" required=true errors=field_errors(result, "email")/>
                <div class="field">
                    <label for="field-role">"Role"</label>
                    <select id="field-role" name="role">
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <Field label="One-time password" name="initial_password" kind="text" autocomplete="off" required=true
                    hint="Give it to the person privately; they must choose their own at first sign-in."
                    errors=field_errors(result, "initial_password")/>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                {move || match result.get() {
                    Some(Ok(u)) => Some(view! { <div class="notice notice-success" role="status">{format!("Created {} ({}).", u.display_name, u.role.label())}</div> }),
                    _ => None,
                }}
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"Create user"</button>
            </ActionForm>
        </section>
    }
}

/// Asks the person in the browser to confirm a step that cannot be undone.
fn confirm_in_browser(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(question).ok())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}

/// Which roles must use two-step sign-in.
#[component]
fn TwoStepPolicy() -> impl IntoView {
    let save = ServerAction::<SetMfaPolicy>::new();
    let policy = Resource::new(|| (), |_| mfa_policy());
    let chosen = RwSignal::new(Vec::<Role>::new());
    let result = save.value();
    view! {
        <section class="card" aria-labelledby="policy-title">
            <h2 id="policy-title">"Two-step sign-in policy"</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    policy.await.map(|p| {
                        chosen.set(p.required_roles.clone());
                        view! {
                            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                let required_roles = chosen.get_untracked().iter().map(|r| r.as_str().to_owned()).collect();
                                save.dispatch(SetMfaPolicy { required_roles });
                            }>
                                <fieldset>
                                    <legend>"Require it for"</legend>
                                    {Role::ALL.into_iter().map(|role| {
                                        let id = format!("mfa-role-{}", role.as_str());
                                        view! {
                                            <div class="check">
                                                <input type="checkbox" id=id.clone() name="required_roles"
                                                    value=role.as_str() checked=p.required_roles.contains(&role)
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|list| {
                                                            list.retain(|r| *r != role);
                                                            if on { list.push(role); }
                                                        });
                                                    }/>
                                                <label for=id>{role.label()}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <p class="field-hint">"People in these roles who have not set it up are signed out and \
                                    set it up at their next sign-in."</p>
                                {move || field_errors(result, "required_roles").get().into_iter().next()
                                    .map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
                                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                                {move || matches!(result.get(), Some(Ok(_))).then(|| view! {
                                    <div class="notice notice-success" role="status">"Policy saved."</div>
                                })}
                                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>"Save policy"</button>
                            </form>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}
