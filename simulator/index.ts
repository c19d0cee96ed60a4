/** The simulator's in-process API. */
export { startSimFleet, sysidFor, DEFAULT_LINK, DEFAULT_WIND, type SimFleet, type SimFleetOptions } from './fleet.ts';
export type { SimDrone, DroneTruth, WindConfig } from './drone.ts';
export type { Fault, ScheduledFault } from './faults.ts';
export { parseFault } from './faults.ts';
export { CopterMode, modeName } from './autopilot/modes.ts';
export { DEMO_BASE, DEMO_GROUND_AMSL_M } from './scenario/demo-base.ts';
export type { PayloadComponent, PayloadContext, CommandForPayload } from './payloads/payload.ts';
export type { LatLon } from './geo.ts';
export { ParkingWorld, type ParkedVehicleSpec, type VehicleSighting } from './scenario/parking-world.ts';
export { AnalyticsReporter, type GroundCamera, type IngestTarget } from './scenario/analytics.ts';
export { EXPO_LANES, EXPO_CAMERAS, expoVehicles, type DemoLane, EXPO_ROADS, EXPO_ROAD_CAMERAS, EXPO_JAM_STRETCH, expoJams, type DemoRoad } from './scenario/expo.ts';
export { TrafficWorld, type SimRoad, type ScheduledJam, type TrafficVehicle, type JamPhase, type SegmentCountTruth } from './scenario/traffic-world.ts';
