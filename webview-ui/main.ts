/**
 * Results panel entry (browser). The panel itself arrives with the results-panel issue; until
 * then the bundle only tells the user that there is nothing to show.
 */
const root = document.getElementById('root');
if (root) root.textContent = 'misas: no results loaded.';
