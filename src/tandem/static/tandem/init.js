// Starts GOV.UK Frontend's components: a file, as the Content-Security-Policy allows no inline
// script.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
