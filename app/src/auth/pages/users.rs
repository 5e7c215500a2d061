use crate::auth::api::{list_users, ChangeRole, CreateUser, SetUserActive};
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
    let create_saved = successes(create.value());
    let change_role_saved = successes(change_role.value());
    let set_active_saved = successes(set_active.value());
    let users = Resource::new(
        move || {
            (
                create_saved.get(),
                change_role_saved.get(),
                set_active_saved.get(),
            )
        },
        |_| list_users(),
    );
    let row_error = Signal::derive(move || {
        let role_error = change_role.value().get().and_then(Result::err);
        role_error.or_else(|| set_active.value().get().and_then(Result::err))
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
                                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Status"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|u| view! { <UserRow user=u change_role set_active/> }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        })
                    })}
                </Suspense>
            </section>
            <NewUserForm create/>
        </div>
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    change_role: ServerAction<ChangeRole>,
    set_active: ServerAction<SetUserActive>,
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
