// Phones (issue 13): a table wider than the page scrolls inside its own region instead of
// widening the page (WCAG 1.4.10 allows two-dimensional scrolling for data tables). The
// region can be reached with the keyboard and is named by the table's caption, as the NHS.UK
// and GOV.UK guidance for scrolling tables recommends. Without JavaScript, words wrap instead.
let counter = 0;

export function wrapWideTables(root = document) {
  for (const table of root.querySelectorAll("main table")) {
    if (table.parentElement.classList.contains("cradle-table-scroll")) continue;
    const region = document.createElement("div");
    region.className = "cradle-table-scroll";
    region.setAttribute("role", "region");
    region.tabIndex = 0;
    const caption = table.querySelector("caption");
    if (caption) {
      caption.id = caption.id || `cradle-table-caption-${++counter}`;
      region.setAttribute("aria-labelledby", caption.id);
    } else {
      region.setAttribute("aria-label", "Table");
    }
    table.parentElement.insertBefore(region, table);
    region.appendChild(table);
  }
}
