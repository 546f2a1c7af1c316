/** The request of the create wizard: the draft body built from the wizard's state. */

export interface PatientState {
  mode: 'resident' | 'register'
  resident: number | null
  id_number: string
  name: string
  sex: string
  birth_date: string
  phone: string
}

export interface ClinicalState {
  direction: string
  kind: string
  urgency: string
  diagnosis_code: string
  diagnosis_name: string
  reason: string
  condition_summary: string
  treatment: string
}

export interface TargetState {
  to_institution: number | null
  to_department: number | null
  slot: number | null
}

export function emptyPackage(): Record<string, any> {
  return {
    record_summary: { chief_complaint: '', present_illness: '', past_history: '', allergy_history: '', physical_exam: '', blood_type: '' },
    initial_opinion: '',
    treatment: '',
    outpatient: [],
    inpatient: [],
    surgery: [],
    medication: [],
    lab: [],
    exam: [],
    public_health: { chronic_management: '', followups: '', vaccinations: '', family_doctor: '' },
  }
}

function blankless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(blankless)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      if (v === '' || v === null || v === undefined) continue
      out[k] = blankless(v)
    }
    return out
  }
  return value
}

/** The package without empty texts, empty rows or empty sections (the server keeps what is sent). */
export function packageBody(pkg: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(pkg)) {
    if (Array.isArray(value)) {
      const rows = value.map(blankless).filter((r) => Object.keys(r as object).length)
      if (rows.length) out[key] = rows
    } else if (value && typeof value === 'object') {
      const section = blankless(value) as Record<string, unknown>
      if (Object.keys(section).length) out[key] = section
    } else if (typeof value === 'string' && value.trim()) {
      out[key] = value.trim()
    }
  }
  return out
}

/** `POST /referral/referrals`: the resident, or the patient registered through the MPI. */
export function draftBody(patient: PatientState, clinical: ClinicalState, target: TargetState, pkg: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    direction: clinical.direction,
    kind: clinical.kind,
    urgency: clinical.urgency,
    to_institution: target.to_institution,
    to_department: target.to_department,
    reason: clinical.reason.trim(),
    condition_summary: clinical.condition_summary.trim(),
    diagnosis_code: clinical.diagnosis_code.trim().toUpperCase(),
    diagnosis_name: clinical.diagnosis_name.trim(),
    treatment: clinical.treatment.trim(),
    package: packageBody(pkg),
  }
  if (patient.mode === 'resident') {
    body.resident = patient.resident
  } else {
    const registration: Record<string, unknown> = { id_number: patient.id_number.trim().toUpperCase(), name: patient.name.trim() }
    if (patient.sex) registration.sex = patient.sex
    if (patient.birth_date) registration.birth_date = patient.birth_date
    if (patient.phone.trim()) registration.phone = patient.phone.trim()
    body.patient = registration
  }
  return body
}

/** The same draft as a PATCH (the patient cannot change once the draft exists). */
export function updateBody(body: Record<string, unknown>): Record<string, unknown> {
  const { resident: _r, patient: _p, ...rest } = body
  return rest
}
