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

// WCAG 2.2.1: two minutes before the idle limit, a warning with "Stay signed in" (which renews the session without
// leaving the page); at the limit, to the sign-in page, which brings you back here afterwards.
const timeout = document.getElementById('session-timeout')
if (timeout) {
  const idle = Number(timeout.dataset.idleSeconds) * 1000
  const warn = Number(timeout.dataset.warnSeconds) * 1000
  let lastFocus = null
  let timers = []
  const schedule = () => {
    timers.forEach(clearTimeout)
    timers = [
      setTimeout(() => {
        lastFocus = document.activeElement
        timeout.hidden = false
        timeout.querySelector('button').focus()
      }, Math.max(idle - warn, 0)),
      setTimeout(() => {
        const back = window.location.pathname + window.location.search
        window.location.href = `${timeout.dataset.signInUrl}?next=${encodeURIComponent(back)}`
      }, idle)
    ]
  }
  timeout.querySelector('form').addEventListener('submit', (event) => {
    event.preventDefault()
    fetch(timeout.dataset.stayUrl, { method: 'POST', body: new FormData(event.target), credentials: 'same-origin' })
      .then((response) => {
        if (!response.ok) throw new Error('not renewed')
        timeout.hidden = true
        if (lastFocus) lastFocus.focus()
        schedule()
      })
      .catch(() => { window.location.reload() })
  })
  timeout.addEventListener('keydown', (event) => { if (event.key === 'Tab') event.preventDefault() })
  schedule()
}

// Long forms keep a draft in this browser tab (sessionStorage: gone when the tab closes), so a timeout or a lost
// connection loses nothing: what was typed comes back when the page is opened again, into empty fields only. A draft
// belongs to the person who typed it: someone else signed in in the same tab never sees it, and signing out clears
// every draft. A draft is dropped once the page after a submission says it was saved.
const draftUser = timeout ? timeout.dataset.user : null
const draftKeys = () => Object.keys(window.sessionStorage).filter((k) => k.startsWith('ostsafe-draft:'))
const draftKey = (form) => `ostsafe-draft:${draftUser}:${window.location.pathname}:${form.id}`
// Signed in as someone else in this tab (after a timeout): the drafts left here are not theirs to see.
if (draftUser) {
  draftKeys().filter((k) => !k.startsWith(`ostsafe-draft:${draftUser}:`))
    .forEach((k) => window.sessionStorage.removeItem(k))
}
document.querySelectorAll('form[data-sign-out]').forEach((form) => {
  form.addEventListener('submit', () => draftKeys().forEach((k) => window.sessionStorage.removeItem(k)))
})
if (document.querySelector('.govuk-notification-banner--success')) {
  draftKeys().forEach((k) => {
    if (JSON.parse(window.sessionStorage.getItem(k) || '{}').submitted) window.sessionStorage.removeItem(k)
  })
}
document.querySelectorAll('form[method="post"][id]').forEach((form) => {
  if (!draftUser || !form.querySelector('textarea')) return
  const fields = () => Array.from(form.elements).filter((e) => e.name && e.name !== 'csrfmiddlewaretoken' &&
    !['password', 'hidden', 'submit', 'button', 'file'].includes(e.type))
  const saved = JSON.parse(window.sessionStorage.getItem(draftKey(form)) || 'null')
  if (saved && !form.querySelector('.govuk-error-message')) {
    let restored = false
    fields().forEach((e) => {
      const value = saved.values[e.name]
      if (value === undefined) return
      if (e.type === 'radio' || e.type === 'checkbox') {
        if (!form.querySelector(`[name="${e.name}"]:checked`) && [].concat(value).includes(e.value)) {
          e.checked = true
          restored = true
        }
      } else if (!e.value && value) {
        e.value = value
        restored = true
      }
    })
    if (restored) {
      const note = document.createElement('p')
      note.className = 'govuk-inset-text'
      note.textContent = 'What you typed before has been put back. Check it, then save.'
      form.prepend(note)
    }
  }
  const save = (submitted) => {
    const values = {}
    fields().forEach((e) => {
      if (e.type === 'radio' || e.type === 'checkbox') {
        if (e.checked) values[e.name] = [].concat(values[e.name] || [], e.value)
      } else values[e.name] = e.value
    })
    window.sessionStorage.setItem(draftKey(form), JSON.stringify({ values, submitted }))
  }
  form.addEventListener('input', () => save(false))
  form.addEventListener('submit', () => save(true))
})
