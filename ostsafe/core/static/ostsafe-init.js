// Progressive enhancement only: every page works without JavaScript.
import { initAll } from './govuk/govuk-frontend.min.js'
initAll()

// The counter's search filters as you type (the same rule as the server's: every word in the name, or the date of
// birth in digits). Without JavaScript the same box is a plain GET search.
function initCounterSearch (form) {
  const input = form.querySelector('input[type="search"]')
  const status = document.getElementById('counter-matches')
  const rows = Array.from(document.querySelectorAll('[data-counter-row]'))
  if (!input || !rows.length) return
  const matches = (row, search) => {
    const compact = search.replace(/[\s/.-]/g, '')
    if (compact && /^\d+$/.test(compact)) return row.dataset.born.split(' ').includes(compact)
    return search.toLowerCase().split(/\s+/).filter(Boolean).every((word) => row.dataset.name.includes(word))
  }
  input.addEventListener('input', () => {
    const search = input.value.trim()
    let shown = 0
    rows.forEach((row) => {
      const show = !search || matches(row, search)
      row.hidden = !show
      if (show) shown += 1
    })
    document.querySelectorAll('[data-counter-section]').forEach((section) => {
      section.hidden = !section.querySelector('[data-counter-row]:not([hidden])')
    })
    if (status) status.textContent = search ? `${shown} client${shown === 1 ? '' : 's'} match “${search}”` : ''
  })
}
document.querySelectorAll('[data-counter-search]').forEach(initCounterSearch)

// Stacked tables on a phone label each cell by its column (see ostsafe.css); templates may write data-label
// themselves, and any cell without one takes its column's header text here.
document.querySelectorAll('.govuk-main-wrapper .govuk-table').forEach((table) => {
  const headers = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent.trim())
  table.querySelectorAll('tbody tr').forEach((row) => {
    Array.from(row.children).forEach((cell, i) => {
      if (!cell.hasAttribute('data-label') && headers[i] !== undefined) cell.setAttribute('data-label', headers[i])
    })
  })
})
