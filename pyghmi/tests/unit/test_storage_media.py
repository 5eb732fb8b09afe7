"""The storage and media result classes vendor handlers return."""

from pyghmi import media
from pyghmi import storage


def test_volume_sizes_in_mb():
    assert storage.Volume(size=2048).size == 2048
    assert storage.Volume(size='500GB').size == 500000
    assert storage.Volume(size='2 tb').size == 2000000
    assert storage.Volume(size='300mb').size == 300
    assert storage.Volume(size='remainder').size == 'remainder'
    assert storage.Volume().size is None


def test_spec_holds_its_parts():
    disk = storage.Disk(7, status='Unconfigured Good')
    array = storage.Array(disks=[disk], raid='raid1',
                          volumes=[storage.Volume('os', '100GB')])
    spec = storage.ConfigSpec(arrays=[array])
    assert spec.arrays[0].disks[0].name == '7'        # names are text
    assert spec.arrays[0].volumes[0].size == 100000
    assert media.Media('boot.iso', 'nfs://host/boot.iso').url.startswith(
        'nfs://')
