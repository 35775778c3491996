UPDATE categories SET default_level = 'grid'
    WHERE code IN ('small_ads', 'stairwell_clutter') AND default_level = 'residents';
