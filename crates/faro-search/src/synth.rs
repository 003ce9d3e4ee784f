//! Synthetic Spanish support articles for benchmarks and load tests.
//!
//! Deterministic from the seed (a tiny xorshift, no `rand` dependency) so that benchmark runs
//! compare like with like.

use chrono::{DateTime, Duration, Utc};

use crate::Document;

const KINDS: &[&str] = &["tutorial", "procedure", "faq", "maintenance"];

/// (own slug, ancestor slugs): sub-categories let benchmarks exercise parent filters.
const CATEGORIES: &[(&str, &[&str])] = &[
    ("redes", &[]),
    ("wifi", &["redes"]),
    ("vpn", &["redes"]),
    ("impresion", &[]),
    ("impresoras", &["impresion"]),
    ("correo", &["cuentas"]),
    ("cuentas", &[]),
    ("seguridad", &[]),
    ("equipos", &[]),
    ("portatiles", &["equipos"]),
];

const MEMBERSHIPS: u64 = 10;

const ACTIONS: &[&str] = &[
    "Configurar",
    "Instalar",
    "Actualizar",
    "Reiniciar",
    "Restablecer",
    "Sincronizar",
    "Desinstalar",
    "Revisar",
    "Conectar",
    "Activar",
    "Desactivar",
    "Recuperar",
];

const OBJECTS: &[&str] = &[
    "la impresora",
    "el correo electrónico",
    "la red wifi",
    "la VPN",
    "la contraseña",
    "el portátil",
    "el antivirus",
    "la copia de seguridad",
    "el servidor de archivos",
    "la centralita telefónica",
    "el certificado digital",
    "la cuenta de usuario",
    "el escáner",
    "la aplicación de facturación",
    "el cortafuegos",
    "la tablet",
];

const CONTEXTS: &[&str] = &[
    "en Windows 11",
    "en macOS",
    "desde casa",
    "en la oficina",
    "tras una actualización",
    "para nuevos empleados",
    "sin perder datos",
    "paso a paso",
    "con doble factor",
    "cuando no responde",
];

const SENTENCES: &[&str] = &[
    "Antes de empezar, compruebe que el equipo está conectado a la corriente y a la red.",
    "Abra el panel de configuración y seleccione la opción correspondiente.",
    "Si aparece un mensaje de error, anote el código y consulte con soporte.",
    "La instalación puede tardar varios minutos; no apague el equipo durante el proceso.",
    "Guarde los cambios y reinicie la aplicación para que la configuración surta efecto.",
    "Las contraseñas deben tener al menos doce caracteres y combinar letras y números.",
    "En caso de atasco de papel, abra la bandeja trasera con cuidado.",
    "El técnico realizará la revisión mensual del servidor el primer lunes de cada mes.",
    "Compruebe que la copia de seguridad nocturna terminó correctamente.",
    "Los usuarios pueden solicitar acceso remoto desde el portal de incidencias.",
    "Desconecte el cable de red durante diez segundos y vuelva a conectarlo.",
    "Verifique que el certificado no ha caducado y que la fecha del sistema es correcta.",
    "Si el problema persiste, abra una incidencia indicando la prioridad.",
    "La actualización del firmware mejora la estabilidad y corrige fallos de seguridad.",
    "Para imprimir en color, seleccione la impresora de la segunda planta.",
    "El antivirus analiza los archivos descargados de forma automática.",
    "Configure el cliente de correo con el servidor IMAP y el puerto seguro.",
    "Las sesiones inactivas se cierran automáticamente tras quince minutos.",
];

const TAGS: &[&str] = &[
    "impresora",
    "correo",
    "wifi",
    "vpn",
    "contraseña",
    "seguridad",
    "windows",
    "macos",
    "copias",
    "servidor",
    "teléfono",
    "facturación",
    "antivirus",
    "certificado",
    "red",
];

/// Xorshift64*: tiny, fast, good enough to scatter words.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Zero is a fixed point of xorshift; mix the seed so every value works.
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The membership ids the generator spreads articles over, so callers can build scopes.
pub fn memberships(seed: u64) -> Vec<uuid::Uuid> {
    (0..MEMBERSHIPS)
        .map(|i| uuid::Uuid::from_u64_pair(seed ^ 0x6D65_6D62, i + 1))
        .collect()
}

/// `n` articles: four kinds, ten categories (some nested), ~70 % spread over ten
/// memberships and ~30 % global, ~90 % published.
pub fn documents(n: usize, seed: u64) -> impl Iterator<Item = Document> {
    let mut rng = Rng::new(seed);
    let members = memberships(seed);
    let epoch = DateTime::<Utc>::from_timestamp(1_735_689_600, 0).unwrap_or_default();
    (0..n).map(move |i| {
        let title = format!(
            "{} {} {}",
            rng.pick(ACTIONS),
            rng.pick(OBJECTS),
            rng.pick(CONTEXTS)
        );
        let sentences = 4 + rng.below(12);
        let body = (0..sentences)
            .map(|_| rng.pick(SENTENCES))
            .collect::<Vec<_>>()
            .join(" ");
        let summary = format!("{}. {}", title, rng.pick(SENTENCES));
        let tags = (0..1 + rng.below(3))
            .map(|_| rng.pick(TAGS).to_owned())
            .collect();
        let categories = if rng.chance(90) {
            let (own, ancestors) = CATEGORIES
                .get(rng.below(CATEGORIES.len()))
                .copied()
                .unwrap_or(("redes", &[]));
            ancestors
                .iter()
                .chain(std::iter::once(&own))
                .map(|s| (*s).to_owned())
                .collect()
        } else {
            Vec::new()
        };
        let membership = if rng.chance(30) {
            None
        } else {
            members.get(rng.below(members.len())).copied()
        };
        let index = i as u64;
        Document {
            id: uuid::Uuid::from_u64_pair(seed, index),
            slug: format!("{}-{i}", slugify(&title)),
            title,
            summary,
            body,
            tags,
            kind: rng.pick(KINDS).to_owned(),
            categories,
            membership,
            also_memberships: Vec::new(),
            published: rng.chance(90),
            updated_at: epoch + Duration::minutes(i64::try_from(rng.below(525_600)).unwrap_or(0)),
        }
    })
}

fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.to_lowercase().chars() {
        let c = match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' | 'ò' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c != '-' || !slug.ends_with('-') {
            slug.push(c);
        }
    }
    slug.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let a: Vec<Document> = documents(200, 7).collect();
        let b: Vec<Document> = documents(200, 7).collect();
        assert_eq!(a, b);
        assert_ne!(a, documents(200, 8).collect::<Vec<_>>());
        for kind in KINDS {
            assert!(a.iter().any(|d| d.kind == *kind), "{kind}");
        }
        let global = a.iter().filter(|d| d.membership.is_none()).count();
        assert!((30..110).contains(&global), "{global}");
        let published = a.iter().filter(|d| d.published).count();
        assert!(published > 150 && published < 200, "{published}");
        let members: std::collections::BTreeSet<_> =
            a.iter().filter_map(|d| d.membership).collect();
        assert_eq!(members.len(), MEMBERSHIPS as usize);
        assert!(a.iter().any(|d| d.categories == ["redes", "wifi"]));
        assert_eq!(
            slugify("Configurar la red wifi ¿Cómo?"),
            "configurar-la-red-wifi-como"
        );
    }
}
