"""Device files with something wrong in them, for the error catalogue's `devicefiles` setup."""

from pathlib import Path

ZWO_UNKNOWN = ('<workout_file>\n  <sportType>run</sportType>\n  <workout>\n    <FreeRide Duration="600"/>\n'
               '    <Sprint Duration="30"/>\n  </workout>\n</workout_file>\n')
ICU_NO_LENGTH = "Warmup\n- 10m 6:00/km Pace\n\nMain set 5x\n- fast 4:00/km Pace\n- 2m\n"
ICU_NOT_A_TARGET = "- 10m 6:00/km Pace quickly\n"


def write_device_files(folder: Path) -> None:
    """activity.fit (an activity), damaged.fit (a workout with one byte changed), unknown.zwo,
    no-length.txt and not-a-target.txt (intervals.icu text with a malformed step)."""
    from audiocoach.export import device_file

    write_activity_fit(folder / "activity.fit")
    (folder / "w.yaml").write_text("title: Easy\nsteps:\n  - run: 20min\n    pace: 5:30/km\n", encoding="utf-8")
    data = bytearray(device_file(folder / "w.yaml", "fit")[0])
    data[40] ^= 0x20
    (folder / "damaged.fit").write_bytes(bytes(data))
    (folder / "unknown.zwo").write_text(ZWO_UNKNOWN, encoding="utf-8")
    (folder / "no-length.txt").write_text(ICU_NO_LENGTH, encoding="utf-8")
    (folder / "not-a-target.txt").write_text(ICU_NOT_A_TARGET, encoding="utf-8")


def write_activity_fit(path: Path) -> None:
    """A FIT file that is a recorded activity (a file id and nothing else), not a workout."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer

    message = FileIdMessage()
    message.type = FileType.ACTIVITY
    message.manufacturer = Manufacturer.DEVELOPMENT.value
    message.time_created = 631_065_600_000
    builder = FitFileBuilder()
    builder.add(message)
    path.write_bytes(builder.build().to_bytes())
