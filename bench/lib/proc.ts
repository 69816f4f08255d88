// What a process the bench started costs, read from Linux /proc: CPU seconds so far, resident memory now and at peak.
import fs from 'node:fs'

/** CPU seconds (user + system) the process has used so far, or null where that cannot be read. */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

/** Resident memory in MB: now (VmRSS) and the peak so far (VmHWM); null where /proc cannot be read. */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN)
    const mb = (k: number) => Math.round(k / 102.4) / 10
    return { rssMb: mb(kb('VmRSS')), peakRssMb: mb(kb('VmHWM')) }
  } catch {
    return null
  }
}
