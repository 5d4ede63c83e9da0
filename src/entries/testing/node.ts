// `signalry/testing/node`: assertions on recorders for node:test, throwing node's AssertionError.
export { assertNotSent, assertSent, assertSentTimes, assertSentWith } from '../../testing/assertions'
