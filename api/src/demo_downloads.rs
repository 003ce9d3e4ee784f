//! `--demo` downloads and resources: a few items with versions for all clients and for each
//! demo membership, one withdrawn version, a few downloads already made (so the counts and
//! "who has not fetched it" have something to show), and a handful of free tools in the
//! catalogue. The files are small text files that say what a real installation would hold.

use anyhow::Context;
use faro_core::Viewer;
use faro_core::downloads::{DownloadKind, VersionLabel};
use faro_core::records::{Actor, Person};
use faro_files::FileStore;
use faro_store::{DownloadDraft, NewVersion, ResourceDraft, Store};
use uuid::Uuid;

enum For {
    All,
    Client(usize),
}

struct Item {
    title: &'static str,
    kind: DownloadKind,
    category: &'static str,
    description: &'static str,
    audience: For,
    /// Label, release notes, file name; oldest first.
    versions: &'static [(&'static str, &'static str, &'static str)],
    /// A version withdrawn, and why.
    withdrawn: Option<(&'static str, &'static str)>,
}

/// Downloads already made: who (by e-mail), of which item (by title), which version.
const FETCHED: &[(&str, &str, &str)] = &[
    (
        "ana.garcia@industrias-ejemplo.es",
        "FaroERP, programa de gestión",
        "3.9",
    ),
    (
        "ana.garcia@industrias-ejemplo.es",
        "Manual de la línea de envasado",
        "1.1",
    ),
    (
        "lucia.martin@industrias-ejemplo.es",
        "FaroERP, programa de gestión",
        "3.10",
    ),
    (
        "jorge.navarro@talleres-demo.es",
        "FaroERP, programa de gestión",
        "3.10",
    ),
];

const ITEMS: &[Item] = &[
    Item {
        title: "FaroERP, programa de gestión",
        kind: DownloadKind::Software,
        category: "Aplicaciones",
        description: "Instalador del programa de gestión (facturación, almacén y contabilidad) para puestos Windows 10 y 11.\n\n**Antes de actualizar**, haz una copia de seguridad de la base de datos y cierra el programa en todos los puestos.",
        audience: For::All,
        versions: &[
            (
                "3.9",
                "- Nuevo informe de ventas por comercial.\n- Corrige el redondeo del IVA en facturas rectificativas.",
                "faroerp-3.9-instalador.txt",
            ),
            (
                "3.10",
                "- Compatible con la factura electrónica (Verifactu).\n- Arranque un 30 % más rápido en puestos con disco mecánico.",
                "faroerp-3.10-instalador.txt",
            ),
        ],
        withdrawn: None,
    },
    Item {
        title: "Plantilla de solicitud de cambio",
        kind: DownloadKind::Template,
        category: "Plantillas",
        description: "Hoja para pedir un cambio en un sistema en producción: qué se cambia, por qué, riesgos, plan de vuelta atrás y ventana propuesta.",
        audience: For::All,
        versions: &[(
            "2024.3",
            "Añade la columna de aprobación del responsable.",
            "plantilla-solicitud-cambio.csv",
        )],
        withdrawn: None,
    },
    Item {
        title: "Manual de la línea de envasado",
        kind: DownloadKind::Document,
        category: "Manuales",
        description: "Manual de operación y mantenimiento de primer nivel de la línea de envasado de la planta de Getafe.",
        audience: For::Client(0),
        versions: &[
            ("1.0", "Primera edición.", "manual-envasado-1.0.txt"),
            (
                "1.1",
                "Añade el procedimiento de cambio de formato y la tabla de alarmas.",
                "manual-envasado-1.1.txt",
            ),
        ],
        withdrawn: None,
    },
    Item {
        title: "Controlador del lector de códigos de barras",
        kind: DownloadKind::Software,
        category: "Controladores",
        description: "Controlador para los lectores de códigos de barras del taller. Instálalo con el lector desconectado.",
        audience: For::Client(1),
        versions: &[
            (
                "2.0",
                "Versión estable para Windows 11.",
                "lector-codigos-2.0.txt",
            ),
            (
                "2.1-beta",
                "Prueba de compatibilidad con lectores inalámbricos.",
                "lector-codigos-2.1-beta.txt",
            ),
        ],
        withdrawn: Some((
            "2.1-beta",
            "Bloquea el lector tras suspender el equipo; usa la 2.0 hasta nueva versión.",
        )),
    },
];

struct Tool {
    name: &'static str,
    category: &'static str,
    url: &'static str,
    description: &'static str,
    version: &'static str,
}

const TOOLS: &[Tool] = &[
    Tool {
        name: "7-Zip",
        category: "Utilidades",
        url: "https://www.7-zip.org/",
        description: "Compresor y descompresor de archivos libre (ZIP, 7z, RAR…). Úsalo para enviarnos registros comprimidos.",
        version: "24.09",
    },
    Tool {
        name: "KeePassXC",
        category: "Seguridad",
        url: "https://keepassxc.org/",
        description: "Gestor de contraseñas libre que guarda las claves cifradas en un archivo local. Recomendado para las cuentas compartidas del equipo.",
        version: "2.7",
    },
    Tool {
        name: "VLC",
        category: "Utilidades",
        url: "https://www.videolan.org/vlc/",
        description: "Reproductor multimedia libre: abre los vídeos que adjuntamos en las incidencias sin instalar códecs.",
        version: "3.0",
    },
    Tool {
        name: "Notepad++",
        category: "Utilidades",
        url: "https://notepad-plus-plus.org/",
        description: "Editor de texto para revisar archivos de configuración y registros sin estropear su codificación.",
        version: "8.7",
    },
    Tool {
        name: "LibreOffice",
        category: "Ofimática",
        url: "https://www.libreoffice.org/",
        description: "Paquete ofimático libre: abre y edita nuestras plantillas de hoja de cálculo y documentos.",
        version: "25.2",
    },
    Tool {
        name: "RustDesk",
        category: "Asistencia remota",
        url: "https://rustdesk.com/",
        description: "Herramienta de escritorio remoto de código abierto. **Solo** la usamos cuando autorizas una conexión remota desde una incidencia.",
        version: "1.3",
    },
];

fn file_text(title: &str, label: &str) -> String {
    format!(
        "Archivo de demostración de Faro.\r\n\r\n{title}, versión {label}.\r\nEn una instalación real, aquí estaría el archivo publicado por el equipo de soporte.\r\n"
    )
}

/// Stores `bytes` as a new file: registered pending, streamed in, ready once a row uses it.
async fn store_file(
    store: &Store,
    files: &FileStore,
    name: &str,
    bytes: Vec<u8>,
) -> anyhow::Result<(Uuid, faro_files::StoredObject)> {
    let key = FileStore::new_key();
    let id = store.begin_file(&key, name).await?;
    let stored = files
        .put_bytes(&key, bytes.into())
        .await
        .context("demo file")?;
    Ok((id, stored))
}

pub async fn load(
    store: &Store,
    files: &FileStore,
    memberships: &[Uuid],
    people: &[Person],
) -> anyhow::Result<()> {
    let system = Viewer::system();
    let actor = Actor {
        email: Some("demo".into()),
        ..Actor::default()
    };
    for item in ITEMS {
        let draft = DownloadDraft {
            kind: item.kind,
            title: item.title.into(),
            description: item.description.into(),
            category: item.category.into(),
            all_clients: matches!(item.audience, For::All),
            memberships: match item.audience {
                For::All => Vec::new(),
                For::Client(i) => memberships.get(i).copied().into_iter().collect(),
            },
        };
        let slug = store.create_download_item(&system, &actor, &draft).await?;
        let (created, _) = store.download_item(&system, &slug).await?;
        for (label, notes, name) in item.versions {
            let (file_id, stored) = store_file(
                store,
                files,
                name,
                file_text(item.title, label).into_bytes(),
            )
            .await?;
            let version = NewVersion {
                label: VersionLabel::parse(label)?,
                notes: (*notes).into(),
                file_id,
                size: stored.size,
                sha256: stored.sha256,
            };
            let id = store
                .publish_version(&system, &actor, "Elena Ruiz", created.id, &version)
                .await?;
            for (email, _, _) in FETCHED
                .iter()
                .filter(|f| f.1 == item.title && f.2 == *label)
            {
                let Some(p) = people.iter().find(|p| p.email.as_str() == *email) else {
                    anyhow::bail!("demo download by {email}, who is not a demo account");
                };
                let as_them = Viewer {
                    user_id: p.id,
                    role: p.role,
                    membership_id: p.membership_id,
                };
                store.record_download(&as_them, created.id, id).await?;
            }
            if let Some((withdrawn, reason)) = item.withdrawn
                && withdrawn == *label
            {
                store
                    .set_version_withdrawn(&system, &actor, created.id, id, Some(reason))
                    .await?;
            }
        }
    }
    let today = faro_core::format::today(chrono::Utc::now());
    for (i, tool) in TOOLS.iter().enumerate() {
        // The first tool also has a copy hosted by the portal.
        let hosted = if i == 0 {
            let name = format!("{}-{}.txt", tool.name.to_lowercase(), tool.version);
            let (file_id, stored) = store_file(
                store,
                files,
                &name,
                file_text(tool.name, tool.version).into_bytes(),
            )
            .await?;
            Some(faro_store::NewFile {
                file_id,
                size: stored.size,
                sha256: stored.sha256,
            })
        } else {
            None
        };
        let draft = ResourceDraft {
            name: tool.name.into(),
            description: tool.description.into(),
            category: tool.category.into(),
            url: tool.url.into(),
            file_version: if hosted.is_some() {
                tool.version.into()
            } else {
                String::new()
            },
            verified_on: Some(today),
        };
        store
            .save_resource(&system, &actor, None, &draft, hosted.as_ref())
            .await?;
    }
    Ok(())
}

pub fn item_count() -> usize {
    ITEMS.len()
}

pub fn resource_count() -> usize {
    TOOLS.len()
}
