//! The demo's knowledge base: a category tree and 32 Spanish articles of the four kinds, global
//! and for each demo membership, so search, scope and browsing have something real to show.

use faro_core::Viewer;
use faro_core::kb::{ArticleDraft, ArticleKind, ArticleState};
use faro_store::{Author, Store};
use uuid::Uuid;

/// (slug of parent or "", name)
const CATEGORIES: [(&str, &str); 11] = [
    ("", "Puestos de trabajo"),
    ("puestos-de-trabajo", "Windows"),
    ("puestos-de-trabajo", "Impresoras"),
    ("", "Redes"),
    ("redes", "VPN"),
    ("redes", "Wi-Fi"),
    ("", "Correo electrónico"),
    ("", "Copias de seguridad"),
    ("", "Aplicaciones"),
    ("aplicaciones", "ERP"),
    ("", "Servidores"),
];

/// Who may read it: every client, or one demo membership (index into `demo::MEMBERSHIPS`).
#[derive(Clone, Copy)]
enum For {
    All,
    Client(usize),
}

struct Item {
    kind: ArticleKind,
    category: &'static str,
    scope: For,
    title: &'static str,
    summary: &'static str,
    tags: &'static str,
    steps: &'static [&'static str],
    note: &'static str,
}

use ArticleKind::{Faq, Maintenance, Procedure, Tutorial};
use For::{All, Client};

const ITEMS: &[Item] = &[
    Item {
        kind: Tutorial,
        category: "impresoras",
        scope: All,
        title: "Configuración de la impresora de red en Windows 11",
        summary: "Cómo añadir la impresora compartida de la oficina y dejarla como predeterminada.",
        tags: "impresoras, windows, red",
        steps: &[
            "Abre **Configuración › Bluetooth y dispositivos › Impresoras y escáneres**.",
            "Pulsa **Agregar dispositivo** y espera a que aparezca la impresora de la oficina.",
            "Si no aparece, elige **Agregar manualmente** e introduce la dirección `\\\\servidor\\impresora`.",
            "Marca la impresora y pulsa **Establecer como predeterminada**.",
            "Imprime una página de prueba desde **Propiedades de impresora**.",
        ],
        note: "Si la impresora pide controladores, instálalos desde la carpeta de Descargas del portal.",
    },
    Item {
        kind: Procedure,
        category: "impresoras",
        scope: All,
        title: "La impresora no imprime y los trabajos se quedan en cola",
        summary: "Procedimiento para vaciar la cola de impresión y reiniciar el servicio de cola.",
        tags: "impresoras, cola, windows",
        steps: &[
            "Comprueba que la impresora está encendida y sin papel atascado.",
            "Abre `services.msc`, busca **Cola de impresión** y pulsa **Detener**.",
            "Borra el contenido de `C:\\Windows\\System32\\spool\\PRINTERS`.",
            "Vuelve a **Iniciar** el servicio de cola de impresión.",
            "Envía de nuevo el documento.",
        ],
        note: "Si la cola vuelve a bloquearse, abre una incidencia indicando el modelo de impresora.",
    },
    Item {
        kind: Faq,
        category: "impresoras",
        scope: All,
        title: "¿Por qué la impresora imprime caracteres extraños?",
        summary: "Suele deberse a un controlador equivocado: así se comprueba.",
        tags: "impresoras, controladores",
        steps: &[
            "Abre las propiedades de la impresora y revisa el controlador en uso.",
            "Compáralo con el modelo exacto que figura en la etiqueta del equipo.",
            "Si no coinciden, reinstala el controlador correcto desde Descargas.",
        ],
        note: "Los controladores genéricos «PCL» funcionan con casi todos los modelos, pero sin funciones avanzadas.",
    },
    Item {
        kind: Tutorial,
        category: "vpn",
        scope: All,
        title: "Conectarse a la VPN corporativa desde casa",
        summary: "Instalación del cliente VPN y primera conexión para teletrabajo.",
        tags: "vpn, teletrabajo, red",
        steps: &[
            "Descarga el cliente VPN desde la sección Descargas del portal.",
            "Instálalo con permisos de administrador.",
            "Introduce la dirección del servidor que te facilitó tu coordinador.",
            "Inicia sesión con tu usuario de dominio y el código del segundo factor.",
            "Comprueba que puedes abrir las carpetas compartidas.",
        ],
        note: "La VPN solo es necesaria fuera de la oficina.",
    },
    Item {
        kind: Procedure,
        category: "vpn",
        scope: All,
        title: "La VPN no conecta: error de autenticación",
        summary: "Qué revisar cuando la VPN rechaza el usuario o la contraseña.",
        tags: "vpn, contraseña, autenticación",
        steps: &[
            "Comprueba que el teclado no tiene activadas las mayúsculas.",
            "Verifica que tu contraseña de dominio no ha caducado iniciando sesión en el portal web.",
            "Sincroniza la hora del equipo: el segundo factor falla si el reloj va adelantado.",
            "Borra el perfil de conexión y vuelve a crearlo.",
        ],
        note: "Tras tres intentos fallidos la cuenta se bloquea 15 minutos.",
    },
    Item {
        kind: Faq,
        category: "vpn",
        scope: All,
        title: "¿Puedo usar la VPN desde el móvil?",
        summary: "Sí, con la aplicación oficial para Android e iOS.",
        tags: "vpn, móvil",
        steps: &[
            "Instala la aplicación oficial desde la tienda de tu teléfono.",
            "Escanea el código QR de configuración que te enviará soporte.",
            "Activa la conexión solo cuando la necesites para ahorrar batería.",
        ],
        note: "El acceso desde el móvil debe autorizarlo el coordinador de tu empresa.",
    },
    Item {
        kind: Procedure,
        category: "wi-fi",
        scope: All,
        title: "El portátil no se conecta a la Wi-Fi de la oficina",
        summary: "Pasos para olvidar la red, renovar el certificado y volver a conectar.",
        tags: "wifi, red, certificados",
        steps: &[
            "Abre la lista de redes y elige **Olvidar** sobre la red de la oficina.",
            "Desactiva y activa el adaptador inalámbrico.",
            "Conéctate de nuevo y acepta el certificado del servidor cuando se pida.",
            "Si sigue fallando, conecta el cable de red y ejecuta `gpupdate /force`.",
        ],
        note: "Las redes de invitados no dan acceso a los recursos internos.",
    },
    Item {
        kind: Tutorial,
        category: "correo-electronico",
        scope: All,
        title: "Configurar el correo corporativo en Outlook",
        summary: "Alta de la cuenta de correo en Outlook con detección automática.",
        tags: "correo, outlook",
        steps: &[
            "Abre Outlook y elige **Archivo › Agregar cuenta**.",
            "Escribe tu dirección de correo corporativa.",
            "Acepta la configuración automática y escribe tu contraseña.",
            "Espera a que se descarguen las carpetas antes de cerrar Outlook.",
        ],
        note: "La primera sincronización puede tardar varios minutos con buzones grandes.",
    },
    Item {
        kind: Procedure,
        category: "correo-electronico",
        scope: All,
        title: "No recibo correos externos",
        summary: "Comprobaciones cuando llegan los correos internos pero no los de fuera.",
        tags: "correo, spam, cuarentena",
        steps: &[
            "Revisa la carpeta de correo no deseado.",
            "Consulta la cuarentena del filtro antispam con el enlace del resumen diario.",
            "Pide al remitente el mensaje de error que recibe, si lo hay.",
            "Comprueba que tu buzón no está lleno (límite de 50 GB).",
        ],
        note: "Adjunta a la incidencia la cabecera completa de algún correo recibido.",
    },
    Item {
        kind: Faq,
        category: "correo-electronico",
        scope: All,
        title: "¿Cómo creo una firma de correo con el logotipo?",
        summary: "Dónde se configura la firma y qué formato de imagen usar.",
        tags: "correo, firma, outlook",
        steps: &[
            "En Outlook, ve a **Archivo › Opciones › Correo › Firmas**.",
            "Crea una firma nueva y pega el texto corporativo.",
            "Inserta el logotipo en PNG de menos de 50 KB.",
        ],
        note: "Evita imágenes grandes: muchos servidores las bloquean.",
    },
    Item {
        kind: Tutorial,
        category: "copias-de-seguridad",
        scope: All,
        title: "Restaurar un archivo borrado desde la copia de seguridad",
        summary: "Recupera versiones anteriores de archivos de las carpetas compartidas.",
        tags: "copias, restaurar, archivos",
        steps: &[
            "Abre la carpeta donde estaba el archivo.",
            "Pulsa con el botón derecho y elige **Restaurar versiones anteriores**.",
            "Selecciona la versión por fecha y pulsa **Restaurar** o **Copiar** a otra ubicación.",
        ],
        note: "Se conservan versiones diarias de los últimos 30 días.",
    },
    Item {
        kind: Maintenance,
        category: "copias-de-seguridad",
        scope: All,
        title: "Verificación mensual de las copias de seguridad",
        summary: "Qué comprobamos cada mes en las copias y cómo interpretar el informe.",
        tags: "copias, mantenimiento, informe",
        steps: &[
            "Restauramos un archivo de prueba de cada servidor.",
            "Comprobamos que la copia externa se ha completado todos los días.",
            "Revisamos el espacio libre del almacenamiento de copias.",
            "Registramos el resultado en el informe mensual del coordinador.",
        ],
        note: "Cualquier fallo aparece resaltado en el informe mensual.",
    },
    Item {
        kind: Maintenance,
        category: "servidores",
        scope: All,
        title: "Ventana de mantenimiento de servidores",
        summary: "Cuándo aplicamos actualizaciones y qué servicios pueden interrumpirse.",
        tags: "mantenimiento, servidores, actualizaciones",
        steps: &[
            "Las actualizaciones se aplican el segundo martes de cada mes a partir de las 21:00.",
            "Los servicios afectados se avisan con una semana de antelación.",
            "Tras reiniciar, comprobamos el arranque de cada servicio crítico.",
        ],
        note: "Si necesitas aplazar una ventana, avísanos con 48 horas.",
    },
    Item {
        kind: Faq,
        category: "windows",
        scope: All,
        title: "¿Por qué Windows se reinicia solo por la noche?",
        summary: "Son las actualizaciones automáticas: cómo elegir la hora.",
        tags: "windows, actualizaciones",
        steps: &[
            "Abre **Configuración › Windows Update › Opciones avanzadas**.",
            "Ajusta las **Horas activas** a tu jornada.",
            "Guarda el trabajo antes de irte: el equipo puede reiniciarse fuera de ese horario.",
        ],
        note: "No desactives las actualizaciones: corrigen fallos de seguridad.",
    },
    Item {
        kind: Procedure,
        category: "windows",
        scope: All,
        title: "El equipo va muy lento al arrancar",
        summary: "Diagnóstico básico de arranque lento antes de abrir una incidencia.",
        tags: "windows, rendimiento, arranque",
        steps: &[
            "Abre el **Administrador de tareas › Inicio** y desactiva programas innecesarios.",
            "Comprueba el espacio libre del disco C: (al menos 15 %).",
            "Ejecuta el **Liberador de espacio en disco**.",
            "Reinicia y mide de nuevo el tiempo de arranque.",
        ],
        note: "Si tarda más de cinco minutos, puede ser un fallo del disco: abre una incidencia de prioridad media.",
    },
    Item {
        kind: Tutorial,
        category: "windows",
        scope: All,
        title: "Cambiar la contraseña de dominio",
        summary: "Cómo cambiar tu contraseña antes de que caduque.",
        tags: "contraseña, windows, dominio",
        steps: &[
            "Pulsa **Ctrl + Alt + Supr** y elige **Cambiar una contraseña**.",
            "Escribe la contraseña actual y la nueva dos veces.",
            "Usa al menos 12 caracteres que no hayas usado antes.",
        ],
        note: "Recuerda cambiarla también en el móvil si usas el correo en él.",
    },
    Item {
        kind: Faq,
        category: "",
        scope: All,
        title: "¿Cómo abro una incidencia urgente?",
        summary: "Cuándo usar la prioridad alta y qué datos incluir.",
        tags: "soporte, incidencias, prioridad",
        steps: &[
            "Usa prioridad **Alta** solo si la producción está parada.",
            "Describe qué ha dejado de funcionar y desde cuándo.",
            "Adjunta capturas de pantalla de los mensajes de error.",
        ],
        note: "Las incidencias de prioridad alta se atienden en menos de una hora laborable.",
    },
    Item {
        kind: Faq,
        category: "",
        scope: All,
        title: "¿Qué es el código de invitación de mi empresa?",
        summary: "Sirve para que cualquier persona de tu empresa cree su cuenta en el portal.",
        tags: "portal, cuentas, invitación",
        steps: &[
            "Pide el código al coordinador de tu empresa.",
            "Entra en **Unirse con un código** y rellena tus datos.",
            "Confirma tu correo con el enlace que recibirás.",
        ],
        note: "El código puede cambiarse si deja de ser secreto.",
    },
    Item {
        kind: Tutorial,
        category: "erp",
        scope: Client(0),
        title: "Emitir facturas de exportación en el ERP",
        summary: "Configuración de series y exención de IVA para clientes extracomunitarios.",
        tags: "erp, facturación, exportación",
        steps: &[
            "Crea la serie **EXP** en **Administración › Series de facturación**.",
            "Asigna al cliente el régimen de IVA **Exportación**.",
            "Al emitir la factura, elige la serie EXP y revisa el texto legal de exención.",
            "Genera el PDF y adjunta el DUA cuando lo recibas.",
        ],
        note: "Configuración específica de Industrias Ejemplo S.A.",
    },
    Item {
        kind: Procedure,
        category: "erp",
        scope: Client(0),
        title: "El ERP muestra «bloqueo de registro» al guardar pedidos",
        summary: "Cómo liberar un pedido bloqueado por una sesión que quedó abierta.",
        tags: "erp, pedidos, bloqueo",
        steps: &[
            "Pide a tus compañeros que cierren el pedido si lo tienen abierto.",
            "En **Utilidades › Sesiones activas**, localiza la sesión antigua.",
            "Finaliza la sesión y vuelve a abrir el pedido.",
        ],
        note: "Solo los usuarios con perfil de supervisor pueden finalizar sesiones.",
    },
    Item {
        kind: Maintenance,
        category: "servidores",
        scope: Client(0),
        title: "Mantenimiento trimestral del servidor de planta",
        summary: "Revisión física y lógica del servidor de la nave de producción.",
        tags: "mantenimiento, servidor, planta",
        steps: &[
            "Limpieza de filtros y comprobación de temperaturas.",
            "Revisión del estado de los discos y del SAI.",
            "Actualización del firmware de la controladora.",
            "Prueba de apagado y arranque ordenados.",
        ],
        note: "La próxima visita se coordina con el responsable de planta de Industrias Ejemplo.",
    },
    Item {
        kind: Faq,
        category: "redes",
        scope: Client(0),
        title: "¿Cómo conecto un terminal de fichaje nuevo a la red de planta?",
        summary: "Requisitos de red para los terminales de control de presencia.",
        tags: "red, planta, fichaje",
        steps: &[
            "Solicita una dirección IP fija con una incidencia de prioridad baja.",
            "Conecta el terminal a un puerto de la VLAN de planta.",
            "Configura la dirección del servidor de fichajes en el terminal.",
        ],
        note: "Solo para Industrias Ejemplo S.A.",
    },
    Item {
        kind: Tutorial,
        category: "copias-de-seguridad",
        scope: Client(0),
        title: "Copia de seguridad de los planos de ingeniería",
        summary: "Dónde guardar los planos para que entren en la copia diaria.",
        tags: "copias, ingeniería, planos",
        steps: &[
            "Guarda los planos en la unidad **P:\\Ingeniería**.",
            "No uses el escritorio ni la carpeta Descargas: no se copian.",
            "Comprueba que el archivo aparece en **Versiones anteriores** al día siguiente.",
        ],
        note: "La copia de la unidad P: se conserva 90 días.",
    },
    Item {
        kind: Procedure,
        category: "impresoras",
        scope: Client(0),
        title: "La etiquetadora de expediciones no imprime códigos de barras",
        summary: "Recalibrado y comprobación del controlador de la etiquetadora Zebra.",
        tags: "impresoras, etiquetas, código de barras",
        steps: &[
            "Apaga la etiquetadora y enciéndela con el botón de avance pulsado para calibrar.",
            "Comprueba que el tamaño de etiqueta del controlador es 100 × 150 mm.",
            "Imprime una etiqueta de prueba desde el ERP.",
        ],
        note: "Si los códigos salen cortados, revisa la densidad de impresión.",
    },
    Item {
        kind: Tutorial,
        category: "aplicaciones",
        scope: Client(1),
        title: "Dar de alta una orden de reparación en el software de taller",
        summary: "Flujo completo desde la recepción del vehículo hasta la orden firmada.",
        tags: "taller, órdenes, aplicaciones",
        steps: &[
            "En **Recepción**, busca el vehículo por matrícula o créalo.",
            "Añade los trabajos solicitados por el cliente.",
            "Imprime la orden y recoge la firma en la tableta.",
            "Asigna la orden al mecánico responsable.",
        ],
        note: "Procedimiento específico de Talleres Demo S.L.",
    },
    Item {
        kind: Procedure,
        category: "aplicaciones",
        scope: Client(1),
        title: "La tableta de firmas no se sincroniza con el taller",
        summary: "Qué hacer si las firmas no llegan a las órdenes de reparación.",
        tags: "taller, tableta, sincronización",
        steps: &[
            "Comprueba que la tableta está conectada a la Wi-Fi del taller.",
            "Cierra y abre la aplicación de firmas.",
            "En el software de taller, pulsa **Sincronizar dispositivos**.",
        ],
        note: "Las firmas pendientes se guardan en la tableta hasta 7 días.",
    },
    Item {
        kind: Maintenance,
        category: "redes",
        scope: Client(1),
        title: "Revisión anual de la red del taller",
        summary: "Comprobaciones de cableado, puntos de acceso y cortafuegos.",
        tags: "mantenimiento, red, taller",
        steps: &[
            "Medición de cobertura Wi-Fi en la zona de elevadores.",
            "Actualización del firmware del cortafuegos.",
            "Revisión de las reglas de acceso remoto de proveedores.",
        ],
        note: "Se realiza cada enero en Talleres Demo S.L.",
    },
    Item {
        kind: Faq,
        category: "correo-electronico",
        scope: Client(1),
        title: "¿Cómo envío presupuestos por correo desde el programa de taller?",
        summary: "Configuración del envío de presupuestos en PDF.",
        tags: "taller, correo, presupuestos",
        steps: &[
            "En **Configuración › Correo**, indica la cuenta del taller.",
            "Activa **Adjuntar presupuesto en PDF**.",
            "Envía un presupuesto de prueba a tu propio correo.",
        ],
        note: "Solo para Talleres Demo S.L.",
    },
    Item {
        kind: Procedure,
        category: "windows",
        scope: Client(1),
        title: "El diagnosis del vehículo no detecta el interfaz USB",
        summary: "Reinstalar el controlador del interfaz de diagnosis.",
        tags: "taller, diagnosis, usb, controladores",
        steps: &[
            "Desconecta el interfaz y reinicia el equipo.",
            "Instala el controlador desde la carpeta del fabricante.",
            "Conecta el interfaz a un puerto USB trasero, no a un concentrador.",
        ],
        note: "Anota el número de serie del interfaz si abres una incidencia.",
    },
    Item {
        kind: Maintenance,
        category: "copias-de-seguridad",
        scope: Client(1),
        title: "Copias de seguridad del taller: calendario",
        summary: "Qué se copia cada día y cada semana en Talleres Demo.",
        tags: "copias, calendario, taller",
        steps: &[
            "Cada noche: base de datos del programa de taller.",
            "Cada viernes: carpeta de documentación escaneada.",
            "Cada mes: copia completa cifrada fuera de las instalaciones.",
        ],
        note: "El informe mensual recoge el resultado de cada copia.",
    },
    Item {
        kind: Tutorial,
        category: "wi-fi",
        scope: All,
        title: "Crear una red Wi-Fi de invitados segura",
        summary: "Buenas prácticas para dar Internet a visitas sin exponer la red interna.",
        tags: "wifi, invitados, seguridad",
        steps: &[
            "Crea un SSID separado para invitados con aislamiento de clientes.",
            "Limita el ancho de banda por dispositivo.",
            "Cambia la contraseña de invitados cada mes.",
        ],
        note: "Podemos configurarlo por ti con una incidencia de prioridad baja.",
    },
    Item {
        kind: Maintenance,
        category: "puestos-de-trabajo",
        scope: All,
        title: "Renovación de equipos: criterios y calendario",
        summary: "Cuándo recomendamos sustituir ordenadores y cómo se planifica.",
        tags: "equipos, renovación, mantenimiento",
        steps: &[
            "Revisamos la antigüedad y el rendimiento de cada puesto una vez al año.",
            "Recomendamos renovar a partir de cinco años o si el disco no es SSD.",
            "Planificamos la sustitución fuera del horario de producción.",
        ],
        note: "El informe anual incluye la lista de equipos candidatos.",
    },
];

fn body(item: &Item) -> String {
    let (intro, steps_title, note_title) = match item.kind {
        Tutorial => (
            "En este tutorial verás, paso a paso, cómo hacerlo.",
            "Pasos",
            "Conviene saber",
        ),
        Procedure => (
            "Sigue este procedimiento antes de abrir una incidencia: resuelve la mayoría de los casos.",
            "Procedimiento",
            "Si no se resuelve",
        ),
        Faq => (
            "Respuesta breve a una pregunta que nos hacéis a menudo.",
            "Respuesta",
            "Nota",
        ),
        Maintenance => (
            "Nota de mantenimiento: qué hacemos y cuándo.",
            "Tareas",
            "Observaciones",
        ),
    };
    let mut md = format!("{intro}\n\n## {steps_title}\n\n");
    for (i, s) in item.steps.iter().enumerate() {
        md.push_str(&format!("{}. {s}\n", i + 1));
    }
    md.push_str(&format!("\n## {note_title}\n\n> {}\n", item.note));
    if item.kind == Procedure {
        md.push_str("\n| Síntoma | Causa probable |\n|---|---|\n| Mensaje de error al iniciar | Configuración o credenciales |\n| Funciona a ratos | Red o cable |\n");
    }
    md
}

/// Creates the demo categories and articles (called once, by `demo::load`).
pub async fn load(store: &Store, memberships: &[Uuid]) -> anyhow::Result<()> {
    let system = Viewer::system();
    let mut categories: Vec<(String, Uuid)> = Vec::new();
    for (parent, name) in CATEGORIES {
        let parent_id = categories
            .iter()
            .find(|(slug, _)| slug == parent)
            .map(|(_, id)| *id);
        let c = store.create_category(&system, name, parent_id).await?;
        categories.push((c.slug, c.id));
    }
    let author = Author {
        id: None,
        name: "Elena Ruiz".into(),
    };
    for item in ITEMS {
        let draft = ArticleDraft {
            title: item.title.into(),
            summary: item.summary.into(),
            body: body(item),
            kind: item.kind,
            state: ArticleState::Published,
            category_id: categories
                .iter()
                .find(|(slug, _)| slug == item.category)
                .map(|(_, id)| *id),
            membership_id: match item.scope {
                For::All => None,
                For::Client(i) => memberships.get(i).copied(),
            },
            tags: faro_core::kb::parse_tags(item.tags)
                .map_err(|e| anyhow::anyhow!("demo tags: {e}"))?,
            note: "Versión inicial".into(),
        };
        store.create_article(&system, &author, draft).await?;
    }
    Ok(())
}

pub fn article_count() -> usize {
    ITEMS.len()
}
