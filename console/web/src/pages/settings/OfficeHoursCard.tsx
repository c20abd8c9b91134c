/**
 * A district's office hours and holidays, on the district settings page. Being written (issue 5): until then
 * the page shows nothing here and the server uses OFFICE_HOURS for every district.
 */
export function OfficeHoursCard(_p: { districtCode: string }) {
  return null;
}
