import type { DeviceMessage, LiveTopic } from '../../devices/index.ts'
import type { ServerFrame } from './frames.ts'

// A change fans out as one message object to every device of a user, and a live update as one
// payload to every subscriber: remembering the last one serialised makes a fan-out to N sockets
// cost one JSON.stringify instead of N. The frame's serverTime is that of the first encoding.
export interface Encoder {
  message(m: DeviceMessage): string
  live(topic: LiveTopic, payload: object): string
}

export function createEncoder(now: () => number = Date.now): Encoder {
  let lastKey: object | undefined
  let lastTopic: LiveTopic | undefined
  let lastText = ''

  function cached(key: object, topic: LiveTopic | undefined, build: () => ServerFrame): string {
    if (key !== lastKey || topic !== lastTopic) {
      lastText = JSON.stringify(build())
      lastKey = key
      lastTopic = topic
    }
    return lastText
  }

  return {
    message: (m) =>
      cached(m, undefined, () => {
        switch (m.type) {
          case 'state':
            return { type: 'state', state: m.state, serverTime: now() }
          case 'devices':
            return { type: 'devices', devices: m.devices }
          case 'handoff':
            return { type: 'handoff', handoff: m.handoff }
        }
      }),
    live: (topic, payload) =>
      cached(payload, topic, () => ({ type: 'live', topic, payload, serverTime: now() })),
  }
}
