// The part of autocannon's API the http workload uses (the package ships no types).
declare module 'autocannon' {
  type Options = { url: string; connections?: number; duration?: number; headers?: Record<string, string>; timeout?: number }
  type Histogram = { average: number; total: number; p50: number; p99: number }
  type Result = { requests: Histogram; latency: Histogram; non2xx: number; errors: number; timeouts: number }
  export default function autocannon(options: Options): Promise<Result>
}
