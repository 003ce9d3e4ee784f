//! Renders articles to PDF and reads back what a reader would see.

mod support;

use std::collections::HashMap;
use std::time::Instant;

use faro_pdf::{ArticlePdf, render_article};
use support::{Pdf, compact, png};

fn article<'a>(title: &'a str, body: &'a str) -> ArticlePdf<'a> {
    ArticlePdf {
        lang: "es",
        title,
        summary: Some("Pasos para dejar la impresora lista."),
        meta: vec![
            ("Tipo", "Procedimiento".to_owned()),
            ("Categoría", "Impresoras".to_owned()),
            ("Membresía", "Industrias Ejemplo S.A.".to_owned()),
            ("Actualizado", "26 de noviembre de 2026".to_owned()),
        ],
        body_markdown: body,
        images: HashMap::new(),
        footer: "Faro · Servicios Informáticos Faro S.L.",
        page_label: "Página",
    }
}

fn render(article: &ArticlePdf) -> Pdf {
    let bytes = render_article(article).unwrap_or_else(|e| panic!("render failed: {e}"));
    Pdf::parse(&bytes)
}

#[track_caller]
fn assert_shows(pdf: &Pdf, needle: &str) {
    let text = compact(&pdf.text());
    assert!(
        text.contains(&compact(needle)),
        "`{needle}` not in PDF text:\n{text}"
    );
}

#[test]
fn renders_title_summary_meta_and_footer() {
    let title = "Cómo instalar la impresora de red";
    let pdf = render(&article(title, "Primer párrafo del artículo."));
    assert_eq!(pdf.title().as_deref(), Some(title));
    assert_eq!(pdf.lang().as_deref(), Some("es"));
    assert_eq!(pdf.page_count(), 1);
    for needle in [
        title,
        "Pasos para dejar la impresora lista.",
        "Categoría",
        "Impresoras",
        "Membresía",
        "Industrias Ejemplo S.A.",
        "26 de noviembre de 2026",
        "Primer párrafo del artículo.",
        "Faro · Servicios Informáticos Faro S.L.",
        "Página 1 / 1",
    ] {
        assert_shows(&pdf, needle);
    }
}

#[test]
fn english_articles_are_tagged_english() {
    let mut a = article("Printer setup", "Hello.");
    a.lang = "en";
    a.page_label = "Page";
    let pdf = render(&a);
    assert_eq!(pdf.lang().as_deref(), Some("en"));
    assert_shows(&pdf, "Page 1 / 1");
}

#[test]
fn spanish_characters_survive() {
    let pdf = render(&article(
        "¿Qué hacer si el tóner se agotó?",
        "¡Atención! El señor Núñez añadió «comillas» y cigüeñas: ÁÉÍÓÚ áéíóú Üü Ññ ¿¡.",
    ));
    assert_eq!(
        pdf.title().as_deref(),
        Some("¿Qué hacer si el tóner se agotó?")
    );
    assert_shows(&pdf, "¿Qué hacer si el tóner se agotó?");
    assert_shows(&pdf, "¡Atención!");
    assert_shows(&pdf, "Núñez añadió «comillas» y cigüeñas");
    assert_shows(&pdf, "ÁÉÍÓÚ áéíóú Üü Ññ ¿¡.");
}

#[test]
fn tables_code_and_nested_lists() {
    let body = "\
## Equipos

| Modelo | Ubicación | Estado |
|:-------|:---------:|-------:|
| HP4050 | Recepción | Activa |
| Brother | Almacén | Averiada |

```powershell
Get-Printer -Name \"HP4050\" | Format-List
```

Ejecute `ipconfig /all` antes.

1. Encender
   - Pulsar botón
     - Esperar luz verde
2. Conectar
";
    let pdf = render(&article("Inventario", body));
    for needle in [
        "Equipos",
        "Modelo",
        "Ubicación",
        "Recepción",
        "Averiada",
        "Get-Printer -Name \"HP4050\" | Format-List",
        "ipconfig /all",
        "1.Encender",
        "Pulsarbotón",
        "Esperar luz verde",
        "2.Conectar",
    ] {
        assert_shows(&pdf, needle);
    }
}

#[test]
fn embeds_provided_png_and_shows_alt_text_for_other_images() {
    let mut a = article(
        "Diagrama",
        "Antes.\n\n![Esquema de red](/kb/files/esquema.png)\n\n\
         Foto: ![Foto del rack](https://cdn.example.com/rack.jpg) y \
         ![Captura rota](/kb/files/rota.png).",
    );
    a.images.insert(
        "/kb/files/esquema.png".to_owned(),
        png(40, 20, [200, 30, 30]),
    );
    a.images.insert(
        "/kb/files/rota.png".to_owned(),
        b"\x89PNG\r\n\x1a\nnot really".to_vec(),
    );
    a.images
        .insert("/kb/files/sin-usar.png".to_owned(), png(2, 2, [0, 0, 0]));
    let pdf = render(&a);
    assert_eq!(
        pdf.image_count(),
        1,
        "only the referenced, valid PNG is embedded"
    );
    assert_shows(&pdf, "Foto del rack");
    assert_shows(&pdf, "Captura rota");
    assert!(
        !compact(&pdf.text()).contains("Esquemadered"),
        "embedded image is not alt text"
    );
}

#[test]
fn typst_code_in_user_text_is_printed_literally() {
    let attacks = [
        "#import \"/etc/passwd\": *",
        "#eval(\"1 + 1\")",
        "#read(\"/etc/passwd\")",
        "$x^2$",
        "@ref",
        "<label>",
        "#set page(width: 1cm)",
        "*/ ] [ \\ ~ -- ...",
    ];
    let body = format!(
        "{}\n\n`#read(\"/etc/hosts\")`\n\n```\n#eval(\"x\")\n```\n\n[enlace](https://x.example/\"#read(\"a\"))",
        attacks.join("\n\n")
    );
    let mut a = article("#read(\"/etc/passwd\") \")] #eval(\"t\")", &body);
    a.summary = Some("\"); #read(\"/etc/shadow\") //");
    a.footer = "#eval(\"footer\") \\";
    a.meta = vec![("#read(\"/x\")", "\")]$@<l>".to_owned())];
    let pdf = render(&a);
    for needle in attacks {
        assert_shows(&pdf, needle);
    }
    assert_shows(&pdf, "#read(\"/etc/hosts\")");
    assert_shows(&pdf, "#eval(\"x\")");
    assert_shows(&pdf, "#read(\"/etc/passwd\") \")] #eval(\"t\")");
    assert_shows(&pdf, "\"); #read(\"/etc/shadow\") //");
    assert_shows(&pdf, "#eval(\"footer\") \\");
    assert_shows(&pdf, "\")]$@<l>");
    assert!(!pdf.text().contains("root:"), "a file was read");
}

#[test]
fn links_print_their_address() {
    let pdf = render(&article(
        "Enlaces",
        "Lea [la guía](https://example.com/guia-red).",
    ));
    assert_shows(&pdf, "la guía");
    assert_shows(&pdf, "https://example.com/guia-red");
}

#[test]
fn empty_body_renders() {
    let mut a = article("Sin contenido", "");
    a.summary = None;
    a.meta = Vec::new();
    let pdf = render(&a);
    assert_eq!(pdf.page_count(), 1);
    assert_shows(&pdf, "Sin contenido");
}

#[test]
fn long_documents_paginate_with_header_and_page_numbers() {
    let paragraph = "El técnico revisa el equipo, anota las medidas y deja constancia \
        en el informe mensual para que el coordinador pueda consultarlo.";
    let body = (1..=45)
        .map(|n| format!("Paso {n}. {paragraph}"))
        .collect::<Vec<_>>()
        .join("\n\n");
    let title = "Revisión anual";
    let pdf = render(&article(title, &body));
    let pages = pdf.page_texts();
    let count = pdf.page_count();
    assert!(count > 1, "{count} pages");
    assert_eq!(pages.len(), count as usize);
    // The running header shows the title from page 2 on.
    assert_eq!(compact(&pages[0]).matches(&compact(title)).count(), 1);
    assert!(compact(&pages[1]).contains(&compact(title)));
    assert!(compact(&pages[1]).contains(&compact(&format!("Página 2 / {count}"))));
    assert!(compact(&pdf.text()).contains(&compact("Paso 45.")));
}

/// A typical article: a couple of headings, lists, a table, code and a
/// screenshot. Prints the time and size for the record.
#[test]
fn typical_two_page_article() {
    let mut body = String::new();
    for section in ["Requisitos", "Instalación", "Comprobación"] {
        body.push_str(&format!("## {section}\n\n"));
        for _ in 0..3 {
            body.push_str(
                "Antes de empezar, compruebe que el equipo tiene conexión a la red de la \
                 oficina y que dispone de una cuenta con permisos de administración. Si \
                 alguno de estos requisitos no se cumple, abra una incidencia y el equipo \
                 de soporte le ayudará a resolverlo en el menor tiempo posible.\n\n",
            );
        }
        body.push_str(
            "- Abra el **Panel de control**.\n- Elija *Dispositivos*.\n  - Pulse «Agregar».\n\n",
        );
    }
    body.push_str(
        "| Paso | Resultado |\n|---|---|\n| Ping | Responde |\n| Prueba | Página impresa |\n\n",
    );
    body.push_str("```powershell\nAdd-Printer -ConnectionName \\\\srv\\HP4050\n```\n\n");
    body.push_str("![Captura](/kb/files/captura.png)\n");
    let mut a = article("Instalar la impresora de la oficina", &body);
    a.images.insert(
        "/kb/files/captura.png".to_owned(),
        png(320, 160, [40, 90, 160]),
    );

    // The first render in a process also loads the fonts; the second is a
    // different article, so typst's caches cannot simply replay the first.
    let started = Instant::now();
    let first = render_article(&a).unwrap();
    let cold = started.elapsed();
    let revised = body
        .replace("equipo", "ordenador")
        .replace("Comprobación", "Verificación final");
    a.body_markdown = &revised;
    let started = Instant::now();
    let bytes = render_article(&a).unwrap();
    let warm = started.elapsed();
    eprintln!(
        "typical article: {} bytes, first render {cold:?}, next article {warm:?}",
        bytes.len()
    );
    if let Ok(path) = std::env::var("FARO_PDF_DUMP") {
        std::fs::write(path, &first).unwrap();
    }
    assert_eq!(Pdf::parse(&first).page_count(), 2);
    let pdf = Pdf::parse(&bytes);
    assert_eq!(pdf.page_count(), 2);
    assert_eq!(pdf.image_count(), 1);
}

#[test]
fn deeply_nested_markdown_still_renders() {
    for n in [17_usize, 70] {
        let quotes = ">".repeat(n) + " cita honda";
        let lists: String = (0..n)
            .map(|i| format!("{}- nivel{i}\n", "  ".repeat(i)))
            .collect();
        let emphasis = "*a **b ".repeat(n) + "centro" + &" b** a*".repeat(n);
        let table_in_quotes = ">".repeat(n)
            + " | x | y |\n"
            + &">".repeat(n)
            + " |---|---|\n"
            + &">".repeat(n)
            + " | celda1 | celda2 |";
        for (body, needle) in [
            (quotes, "cita honda".to_owned()),
            (lists, format!("nivel{}", n - 1)),
            (emphasis, "centro".to_owned()),
            (table_in_quotes, "celda2".to_owned()),
        ] {
            let pdf = render(&article("Anidado", &body));
            assert_shows(&pdf, &needle);
        }
    }
}
