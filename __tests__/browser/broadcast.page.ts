// Two of these pages (#a and #b) in one origin: each bridges its default namespace over the
// BroadcastChannel transport and lists in <ol id="log"> what its receivers get. The #save button
// sends `chat.message` with this tab as the sender.
import { defaultNamespace, signal } from 'signalry'
import { bridge } from 'signalry/bridge'
import { broadcastChannel } from 'signalry/broadcast-channel'

const tab = location.hash.slice(1)
const log = document.getElementById('log') as HTMLOListElement
function show(line: string): void {
  const item = document.createElement('li')
  item.textContent = line
  log.append(item)
}

const message = signal<{ text: string; sentAt: Date }, string>('chat.message')
message.connect((from, { text, sentAt }) =>
  show(`got "${text}" from ${from} (${sentAt instanceof Date ? 'a Date' : typeof sentAt})`),
)
message.connect(() => show('only from tab-a'), { sender: 'tab-a' })

const link = bridge(defaultNamespace, broadcastChannel('signalry-browser-test'), { nodeId: `tab-${tab}` })
document.getElementById('save')?.addEventListener('click', () => {
  message.send(`tab-${tab}`, { text: `hello from ${tab}`, sentAt: new Date() })
})
await link.ready
document.body.dataset['ready'] = 'true'
