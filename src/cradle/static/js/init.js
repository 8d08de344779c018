// Starts the NHS.UK frontend components (header menu, skip link, tables, ...).
// nhsuk-frontend 10.x ships its bundle as an ES module with no global, so this file is loaded
// with <script type="module"> and imports the bundle by a relative path.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";
import { wrapWideTables } from "./table-scroll.js";

wrapWideTables();
initAll();
