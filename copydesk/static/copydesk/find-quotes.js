// "Find quotes" without reloading the article form: the form's fields are posted to the
// admin's find-quotes view and its proposals shown in place. Without JavaScript the button
// posts the form, which comes back with the same proposals, unsaved.
"use strict";

document.addEventListener("click", async (event) => {
    const button = event.target.closest("input[name=_find_quotes][data-url]");
    const area = document.getElementById("quote-proposals");
    if (!button || !area) {
        return;
    }
    event.preventDefault();
    button.disabled = true;
    try {
        const response = await fetch(button.dataset.url, {
            method: "POST",
            body: new FormData(button.form),
            credentials: "same-origin",
        });
        const contentType = response.headers.get("Content-Type") || "";
        if (!(response.ok || response.status === 400) || response.redirected || !contentType.startsWith("text/html")) {
            throw new Error(`status ${response.status}`);
        }
        area.innerHTML = await response.text();
    } catch (error) {
        area.innerHTML = "";
        const note = document.createElement("p");
        note.className = "errornote";
        note.textContent = `Find quotes did not answer (${error.message}): try again, or save first.`;
        area.append(note);
    } finally {
        button.disabled = false;
    }
    // The speaker choices search people on file as the admin's other autocompletes do.
    if (window.django && django.jQuery && django.jQuery.fn.djangoAdminSelect2) {
        django.jQuery(area).find(".admin-autocomplete").djangoAdminSelect2();
    }
    area.scrollIntoView({block: "start"});
});
