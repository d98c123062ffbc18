// Adds an empty measure form to the formset: clone the template and renumber the prefix.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("add-measure");
  const total = document.getElementById("id_measures-TOTAL_FORMS");
  const template = document.getElementById("measure-template");
  const container = document.getElementById("measure-forms");
  if (!button || !total || !template) return;
  button.addEventListener("click", () => {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replaceAll("__prefix__", index).replaceAll("__num__", index + 1);
    container.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
  });
});
