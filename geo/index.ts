/**
 * Places from coordinates: a LINE location pin put in its subdistrict, district and province by point-in-polygon
 * on the official boundaries (OCHA COD-AB Thailand, Royal Thai Survey Department, DOPA geocodes; installed by
 * `npm run geo:install`, see the README).
 */
export { BoundaryIndex, BoundariesFormatError, type BoundaryArea, type BoundaryFeature, type Hit } from './boundaries';
export { loadBoundaries, indexOf, BOUNDARIES_FILE, type LoadedBoundaries } from './load';
export { placePin, pinPlacer, BORDER_METRES, OFF_METRES, type PinPolicy } from './pin';
export { checkCodes, codesAgree, type CodeCheck } from './check';
export { prepareFeatures, preparedText, ATTRIBUTION, RECODE, STALE_KHET } from './prepare';
