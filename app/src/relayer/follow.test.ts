import { describe, expect, it } from 'vitest'
import { takeSseData } from './follow'

describe('takeSseData', () => {
  it('takes complete events and keeps the incomplete rest', () => {
    const { data, rest } = takeSseData('event: status\ndata: {"a":1}\n\nevent: status\ndata: {"a"')
    expect(data).toEqual(['{"a":1}'])
    expect(rest).toBe('event: status\ndata: {"a"')
    expect(takeSseData(`${rest}:2}\n\n`).data).toEqual(['{"a":2}'])
  })

  it('skips keep-alive comments and joins multi-line data', () => {
    expect(takeSseData(':\n\n: unchanged\n\ndata: one\ndata: two\n\n').data).toEqual(['one\ntwo'])
  })

  it('accepts CRLF, also when a CRLF is split between chunks', () => {
    const first = takeSseData('data: x\r\n\r')
    expect(first.data).toEqual([])
    expect(takeSseData(`${first.rest}\ndata: y\r\n\r\n`).data).toEqual(['x', 'y'])
  })
})
