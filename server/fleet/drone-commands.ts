/** Executes the commands of the API through the drone's autopilot adapter. */
import type { DroneCommand } from '../contracts/command.ts';
import type { DroneSession } from './drone-session.ts';

export async function executeCommand(session: DroneSession, cmd: DroneCommand): Promise<void> {
  const { adapter, control } = session;
  switch (cmd.type) {
    case 'arm': return adapter.arm(control);
    case 'disarm': return adapter.disarm(control);
    case 'takeoff': return adapter.takeoff(control, cmd.altitudeM);
    case 'goto': return adapter.goto(control, cmd.lat, cmd.lon, cmd.altitudeM);
    case 'hold': return adapter.hold(control);
    case 'land': return adapter.land(control);
    case 'rtl': return adapter.returnToLaunch(control);
    case 'mode': return adapter.setMode(control, cmd.mode.toUpperCase());
    case 'speed': return adapter.setSpeed(control, cmd.speedMps);
  }
}
