// A page that uses signalry the way an application does: signals declared at module level, DOM
// events turned into sends, receivers filtered by sender, a scoped receiver. It lists what happens
// in <ol id="log">; the test clicks the buttons and reads the list.
import { Namespace, signal } from 'signalry'

const log = document.getElementById('log') as HTMLOListElement
function show(line: string): void {
  const item = document.createElement('li')
  item.textContent = line
  log.append(item)
}

// Named signals at module level; one per name in the page.
const clicked = signal<{ count: number }, string>('button.clicked')
show(`same signal by name: ${signal('button.clicked') === clicked}`)

// Sender filtering: every click, and only the save button's.
let count = 0
clicked.connect((button, { count }) => show(`clicked ${button} (${count})`))
clicked.connect(() => show('saving'), { sender: 'save' })
for (const button of document.querySelectorAll('button')) {
  button.addEventListener('click', () => clicked.send(button.id, { count: ++count }))
}

// connectedTo: a receiver for a scope, callback form and `using` form (Symbol.dispose, or the
// fallback where the browser has none).
const seen: string[] = []
clicked.connectedTo(
  (button) => seen.push(button),
  () => clicked.send('scripted', { count: 0 }),
)
{
  using _scope = clicked.connectedTo((button) => seen.push(`using ${button}`), { sender: 'scripted' })
  clicked.send('scripted', { count: 0 })
}
show(`scoped receivers saw: ${seen.join(', ')}; receivers left: ${clicked.receiverCount}`)

// Diagnostics in a browser: no diagnostics_channel (sends just work), the leak warning on console.warn.
const page = new Namespace()
const busy = page.signal('page.busy')
busy.maxReceivers = 1
busy.connect(() => {})
busy.connect(() => {})
for (const { name, any, primitive, object } of page.inspect())
  show(`inspect: ${String(name)} ${any}/${primitive}/${object}`)

document.body.dataset['ready'] = 'true'
