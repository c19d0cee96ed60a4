/** The planning core: pure functions, GeoJSON and numbers in, plans out. */
export { plan, AirspaceViolationError, type PlanContext, type PatternPlan, type OverwatchPlan } from './plan.ts';
export { validateRoute, type RoutePoint, type Violation, type ViolationKind } from './validate-route.ts';
export { routeAround, routeAroundOrThrow, DEFAULT_MARGIN_M, type RouteAroundResult, type RouteAroundOptions, type RouteAroundFailure } from './route-around.ts';
export { airspaceFromGeofences, DEFAULT_CEILING_M, DEFAULT_FLOOR_M, type Airspace, type NoFlyZone, type CircleZone, type Geofence } from './airspace.ts';
export { planCoverage, footprintWidthM, spacingFromCamera, DEFAULT_CAMERA, type CoverageOptions, type CoverageResult, type CameraSpec } from './coverage.ts';
export { splitArea } from './split-area.ts';
export { planPerimeter, type PerimeterOptions, type PerimeterResult } from './perimeter.ts';
export { planCorridor, type CorridorOptions, type CorridorResult } from './corridor.ts';
export { planTour, tourLengthM, type TourOptions, type TourResult } from './tour.ts';
export { planOverwatch, coverPois, DEFAULT_HANDOVER_MARGIN_S, type OverwatchOptions, type OverwatchResult, type Station, type ScheduleEntry, type Poi } from './overwatch.ts';
export { coverageGaps, type Gap, type GapCheckEntry } from './coverage-gaps.ts';
export { figuresOf, airframeOf, turnPenaltyS, DEFAULT_AIRFRAME, DEFAULT_RESERVE_PCT, type Airframe, type Figures } from './figures.ts';
export { splitIntoSorties, sortieFigures, type PathPoint } from './sorties.ts';
export { toMissionItems, type MissionSpec, type MissionWaypoint } from './to-mission.ts';
export { LocalFrame, frameAround, type XY } from './local-frame.ts';
export { PlanningError, type Plan, type PlanKind, type LatLon, type Waypoint, type Sortie, type PlanningErrorCode } from './types.ts';
export * from './schemas.ts';
