//! `--demo` incidents: a few for each demo membership in different states, with a staff answer,
//! an internal note, a remote-access request waiting for the client and a resolved one waiting
//! for confirmation, so every screen of the incident flow has something to show.

use faro_core::incidents::{IncidentState, Priority};
use faro_core::records::Person;
use faro_core::{Role, Viewer};
use faro_store::{NewIncident, Sla, Store};

fn viewer(p: &Person) -> Viewer {
    Viewer {
        user_id: p.id,
        role: p.role,
        membership_id: p.membership_id,
    }
}

fn no_mail() -> faro_store::Notify {
    // The demo people have public passwords and no mailboxes: nothing is e-mailed.
    Box::new(|_| Ok(Vec::new()))
}

struct Demo {
    /// The e-mail of the demo person who opens it.
    opener: &'static str,
    title: &'static str,
    system: &'static str,
    priority: Priority,
    description: &'static str,
    /// A public answer from support, if any.
    answer: Option<&'static str>,
    note: Option<&'static str>,
    state: Option<IncidentState>,
    remote: Option<(&'static str, &'static str, &'static str)>,
}

const INCIDENTS: &[Demo] = &[
    Demo {
        opener: "ana.garcia@industrias-ejemplo.es",
        title: "La línea de envasado no arranca tras el corte de luz",
        system: "Línea de envasado 2",
        priority: Priority::High,
        description: "Después del corte de esta mañana la pantalla del autómata muestra **Error 0x31** y la línea no arranca. La producción está parada.",
        answer: Some(
            "Estamos revisándolo. ¿Podéis confirmar si el SAI de la línea tiene alguna luz roja encendida?",
        ),
        note: Some(
            "Probable fallo de la fuente del autómata: preparar repuesto por si hay que ir.",
        ),
        state: Some(IncidentState::InProgress),
        remote: Some((
            "Revisar los registros del autómata y la configuración de arranque",
            "RustDesk",
            "Hoy, en cuanto lo autoricéis, unos 30 minutos",
        )),
    },
    Demo {
        opener: "carlos.lopez@industrias-ejemplo.es",
        title: "El informe de ventas mensual sale vacío",
        system: "FaroERP",
        priority: Priority::Medium,
        description: "Desde la actualización a la 3.10 el informe de ventas del mes sale sin líneas. Los de días sueltos funcionan.",
        answer: Some(
            "Era un filtro de fechas que la 3.10 guardaba mal. Lo hemos corregido en vuestra configuración: ¿nos confirmáis que ya sale bien?",
        ),
        note: None,
        state: Some(IncidentState::Resolved),
        remote: None,
    },
    Demo {
        opener: "marta.sanz@talleres-demo.es",
        title: "¿Se puede añadir un campo de matrícula en las órdenes de trabajo?",
        system: "Gestión de taller",
        priority: Priority::Low,
        description: "Nos vendría bien poder buscar las órdenes por la matrícula del vehículo.",
        answer: Some(
            "Buena idea: lo apuntamos para la próxima versión. Mientras, podéis usar el campo de observaciones.",
        ),
        note: None,
        state: Some(IncidentState::WaitingClient),
        remote: None,
    },
];

pub async fn load(store: &Store, people: &[Person]) -> anyhow::Result<()> {
    let sla = Sla::default();
    let Some(agent) = people.iter().find(|p| p.role == Role::Agent) else {
        return Ok(());
    };
    let staff = viewer(agent);
    for d in INCIDENTS {
        let Some(opener) = people.iter().find(|p| p.email.as_str() == d.opener) else {
            continue;
        };
        let draft = NewIncident {
            title: d.title.into(),
            description: d.description.into(),
            system: d.system.into(),
            priority: d.priority,
        };
        let incident = store
            .open_incident(&viewer(opener), &opener.name, &draft, &[], &sla, no_mail())
            .await?;
        if let Some(answer) = d.answer {
            store
                .comment_incident(
                    &staff,
                    &agent.name,
                    incident.id,
                    answer,
                    false,
                    &[],
                    no_mail(),
                )
                .await?;
        }
        if let Some(note) = d.note {
            store
                .comment_incident(&staff, &agent.name, incident.id, note, true, &[], no_mail())
                .await?;
        }
        if let Some(state) = d.state {
            if state != IncidentState::InProgress {
                store
                    .change_state(
                        &staff,
                        &agent.name,
                        incident.id,
                        IncidentState::InProgress,
                        "",
                        &sla,
                        no_mail(),
                    )
                    .await?;
            }
            store
                .change_state(&staff, &agent.name, incident.id, state, "", &sla, no_mail())
                .await?;
        }
        if let Some((purpose, tool, window)) = d.remote {
            store
                .request_remote(
                    &staff,
                    &agent.name,
                    incident.id,
                    purpose,
                    tool,
                    window,
                    no_mail(),
                )
                .await?;
        }
    }
    Ok(())
}
