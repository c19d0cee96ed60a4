import { AppError } from '../errors.ts';
import type { Fleet } from '../fleet/fleet.ts';
import type { DroneSession } from '../fleet/drone-session.ts';

export function findDrone(fleet: Fleet, id: string): DroneSession {
  const session = fleet.get(id);
  if (!session) throw new AppError('DRONE_NOT_FOUND', `no drone ${id}`, { droneId: id, known: fleet.list().map((d) => d.id).slice(0, 50) });
  return session;
}
