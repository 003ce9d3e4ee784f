// Faro: small enhancements. Every page works without this file.
"use strict";
(function () {
  document.documentElement.classList.add("js");

  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); var a = arguments; t = setTimeout(function () { fn.apply(null, a); }, ms); };
  }

  // Suggestions while typing in a search box.
  document.querySelectorAll("input[type=search][name=q]").forEach(function (input) {
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.id = input.id + "-suggestions";
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    input.parentNode.appendChild(list);
    var ask = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { list.hidden = true; return; }
      fetch("/search/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          list.textContent = "";
          items.forEach(function (it) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = it.url;
            a.textContent = it.title;
            li.appendChild(a);
            list.appendChild(li);
          });
          list.hidden = items.length === 0;
        })
        .catch(function () {});
    }, 200);
    input.addEventListener("input", ask);
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") { list.hidden = true; } });
  });

  // Uploads: files can be dropped on the form; each file gets its own progress bar while the
  // form is sent, then the page the server answers with is shown.
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var bar = form.querySelector("progress");
    var input = form.querySelector("input[type=file]");
    if (!bar || !window.FormData) { return; }
    var list = document.createElement("ul");
    list.className = "upload-list";
    bar.parentNode.insertBefore(list, bar);
    function showFiles() {
      list.textContent = "";
      if (!input) { return; }
      Array.prototype.forEach.call(input.files, function (f) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = f.name;
        var p = document.createElement("progress");
        p.max = 100;
        p.value = 0;
        li.appendChild(name);
        li.appendChild(p);
        list.appendChild(li);
      });
    }
    if (input) {
      input.addEventListener("change", showFiles);
      form.addEventListener("dragover", function (e) { e.preventDefault(); form.classList.add("dropping"); });
      form.addEventListener("dragleave", function () { form.classList.remove("dropping"); });
      form.addEventListener("drop", function (e) {
        e.preventDefault();
        form.classList.remove("dropping");
        if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
        var dt = new DataTransfer();
        if (input.multiple) { Array.prototype.forEach.call(input.files, function (f) { dt.items.add(f); }); }
        Array.prototype.forEach.call(e.dataTransfer.files, function (f) {
          if (input.multiple || dt.items.length === 0) { dt.items.add(f); }
        });
        input.files = dt.files;
        showFiles();
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var sizes = input ? Array.prototype.map.call(input.files, function (f) { return f.size; }) : [];
      var bars = list.querySelectorAll("progress");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (ev) {
        if (!ev.lengthComputable) { return; }
        bar.value = Math.round(ev.loaded * 100 / ev.total);
        // The files travel in order: each bar fills as the bytes pass its part of the body.
        var files = sizes.reduce(function (a, b) { return a + b; }, 0);
        var done = ev.loaded - Math.max(0, ev.total - files);
        for (var i = 0, start = 0; i < sizes.length; start += sizes[i], i++) {
          var part = Math.min(Math.max(done - start, 0), sizes[i]);
          if (bars[i]) { bars[i].value = sizes[i] ? Math.round(part * 100 / sizes[i]) : 100; }
        }
      });
      xhr.addEventListener("load", function () {
        var url = xhr.responseURL || window.location.href;
        document.open();
        document.write(xhr.responseText);
        document.close();
        if (window.history && window.history.replaceState) { window.history.replaceState(null, "", url); }
      });
      xhr.addEventListener("error", function () {
        bar.hidden = true;
        if (button) { button.disabled = false; }
      });
      bar.hidden = false;
      bar.value = 0;
      if (button) { button.disabled = true; }
      xhr.send(new FormData(form));
    });
  });
})();
