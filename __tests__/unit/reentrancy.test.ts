import { Signal } from 'signalry'

test('a receiver connected during a send is not called by that send, but by the next', () => {
  const sig = new Signal()
  const late = jest.fn()
  sig.connect(() => sig.connect(late))
  sig.send()
  expect(late).not.toHaveBeenCalled()
  sig.send()
  expect(late).toHaveBeenCalledTimes(1)
})

test('a receiver connected during a send for that sender is not called by that send', () => {
  const sig = new Signal<void, string>()
  const late = jest.fn()
  sig.connect(() => sig.connect(late, { sender: 'x' }), { sender: 'x' })
  sig.send('x')
  expect(late).not.toHaveBeenCalled()
})

test('a receiver disconnected by an earlier receiver during a send is not called after that', () => {
  const sig = new Signal()
  const later = jest.fn()
  sig.connect(() => sig.disconnect(later))
  sig.connect(later)
  sig.send()
  expect(later).not.toHaveBeenCalled()
})

test('a receiver disconnected only from the current sender during a send is not called (unlike blinker)', () => {
  const sig = new Signal<void, string>()
  const later = jest.fn()
  sig.connect(() => sig.disconnect(later, { sender: 'x' }))
  sig.connect(later, { sender: 'x' })
  sig.send('x')
  expect(later).not.toHaveBeenCalled()
})

test('a receiver disconnected and connected again during a send is not called by that send', () => {
  const sig = new Signal()
  const later = jest.fn()
  let reconnected = false
  sig.connect(() => {
    if (reconnected) return
    reconnected = true
    sig.disconnect(later)
    sig.connect(later)
  })
  sig.connect(later)
  sig.send()
  expect(later).not.toHaveBeenCalled()
  sig.send()
  expect(later).toHaveBeenCalledTimes(1)
})

test('a receiver may disconnect itself; the others still run', () => {
  const sig = new Signal()
  const calls: string[] = []
  const self = () => {
    calls.push('self')
    sig.disconnect(self)
  }
  sig.connect(() => calls.push('a'))
  sig.connect(self)
  sig.connect(() => calls.push('c'))
  sig.send()
  sig.send()
  expect(calls).toEqual(['a', 'self', 'c', 'a', 'c'])
})

test('a send from inside a receiver works, and the outer send goes on afterwards', () => {
  const sig = new Signal<number>()
  const calls: string[] = []
  sig.connect((_, depth) => {
    calls.push(`a${depth}`)
    if (depth < 2) sig.send(undefined, depth + 1)
  })
  sig.connect((_, depth) => calls.push(`b${depth}`))
  sig.send(undefined, 0)
  expect(calls).toEqual(['a0', 'a1', 'a2', 'b2', 'b1', 'b0'])
})

test('a nested send sees connections made by the outer send before it', () => {
  const sig = new Signal<number>()
  const late = jest.fn()
  sig.connect((_, depth) => {
    if (depth === 0) {
      sig.connect(late)
      sig.send(undefined, 1)
    }
  })
  sig.send(undefined, 0)
  expect(late).toHaveBeenCalledTimes(1)
  expect(late).toHaveBeenCalledWith(undefined, 1)
})

test('a nested send of another signal works', () => {
  const outer = new Signal()
  const inner = new Signal<string>()
  const got: string[] = []
  inner.connect((_, text) => got.push(text))
  outer.connect(() => inner.send(undefined, 'from outer'))
  outer.send()
  expect(got).toEqual(['from outer'])
})

test('a receiver whose priority changes during a send keeps its place in that send', () => {
  const sig = new Signal()
  const calls: string[] = []
  const b = () => calls.push('b')
  sig.connect(() => {
    calls.push('a')
    sig.connect(b, { priority: 100 })
  })
  sig.connect(b)
  sig.send()
  sig.send()
  expect(calls).toEqual(['a', 'b', 'b', 'a'])
})

test('disconnecting everything during a send stops the rest of that send', () => {
  const sig = new Signal()
  const calls: string[] = []
  const b = () => calls.push('b')
  const c = () => calls.push('c')
  sig.connect(() => {
    calls.push('a')
    sig.disconnect(b)
    sig.disconnect(c)
  })
  sig.connect(b)
  sig.connect(c)
  expect(sig.send()).toHaveLength(1)
  expect(calls).toEqual(['a'])
})
